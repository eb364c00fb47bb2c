/* test_model.c: each submodel against values computed by hand. */
#include <check.h>
#include <math.h>
#include <stdlib.h>

#include "model/conduit.h"
#include "model/costs.h"
#include "model/engagements.h"
#include "model/decide.h"
#include "model/develop.h"
#include "model/delivery.h"
#include "model/knowledge.h"
#include "model/market.h"
#include "model/monitor.h"
#include "qmsim/rng.h"
#include "core/state.h"
#include "model/tender.h"
#include "model/trust.h"

#define EPS 1e-9

static qm_params defaults(void)
{
    qm_params p;
    qm_params_defaults(qm_param_table, &p);
    return p;
}

/* ---- trust (MODEL.md 4.1) ---- */

START_TEST(trust_prior_and_updates)
{
    qm_rel r;
    qm_state_rel_init(&r, 3, 0.7, 4.0);
    ck_assert_double_eq_tol(r.a0, 2.8, EPS);
    ck_assert_double_eq_tol(r.b0, 1.2, EPS);
    ck_assert_double_eq_tol(qm_state_rel_mean(&r), 0.7, EPS);
    /* z = 0: Phi = 1/2, alpha = beta = 0.25; T = 3.05 / 4.5 */
    qm_trust_update(&r, 0.0, 1.0, 0.5, 0.97);
    ck_assert_double_eq_tol(qm_state_rel_mean(&r), 3.05 / 4.5, EPS);
    /* z = 1: Phi(1) = 0.8413447461; alpha = 0.2425 + 0.42067237, beta = 0.2425 + 0.07932763 */
    qm_trust_update(&r, 1.0, 1.0, 0.5, 0.97);
    ck_assert_double_eq_tol(r.alpha, 0.663172373, 1e-8);
    ck_assert_double_eq_tol(r.beta, 0.321827627, 1e-8);
    ck_assert_double_eq_tol(qm_state_rel_mean(&r), 3.463172373 / 4.985, 1e-8);
}
END_TEST

START_TEST(trust_penalty_rupture_history)
{
    qm_rel r;
    qm_state_rel_init(&r, 0, 0.5, 4.0);
    qm_trust_collaborate(&r, 2.0);
    qm_trust_penalise(&r, 2.0);
    ck_assert_double_eq_tol(qm_state_rel_mean(&r), 4.0 / 8.0, EPS);
    qm_trust_penalise(&r, 4.0);
    ck_assert_double_eq_tol(qm_state_rel_mean(&r), 4.0 / 12.0, EPS);
    qm_trust_rupture(&r, 1.0);
    ck_assert_double_eq_tol(qm_state_rel_mean(&r), 0.5, EPS); /* back to the prior */
    /* 10 months at phi 0.8: acc = 0.5 (1 - 0.97^10) / 0.03 = 4.3762646 */
    qm_trust_history(&r, 10.0, 0.8, 0.5, 0.97);
    double acc = 0.5 * (1.0 - pow(0.97, 10.0)) / 0.03;
    ck_assert_double_eq_tol(acc, 4.3762646, 1e-6);
    ck_assert_double_eq_tol(r.alpha, 0.8 * acc, EPS);
    ck_assert_double_eq_tol(r.beta, 0.2 * acc, EPS);
}
END_TEST

START_TEST(trust_stays_in_unit_interval)
{
    qm_rel r;
    qm_state_rel_init(&r, 0, 0.45, 4.0);
    for (int i = 0; i < 2000; i++) {
        qm_trust_update(&r, (i % 7) - 3.0 + 50.0 * (i % 2 ? 1 : -1), 3.0, 0.5, 0.97);
        double T = qm_state_rel_mean(&r);
        ck_assert(T >= 0.0 && T <= 1.0 && isfinite(T));
    }
}
END_TEST

/* ---- monitoring (MODEL.md 3.3) ---- */

START_TEST(monitoring_noise_and_cost)
{
    qm_params p = defaults();
    p.monitor.sigma0 = 0.15;
    p.monitor.info_noise_cut = p.monitor.monitoring_noise_cut = 0.5;
    p.monitor.info_base = 0.4;
    p.monitor.info_analytic = 0.6;
    p.monitor.cost = 0.1;
    p.monitor.trust_discount = 0.5;
    p.monitor.undercount_max = 0.1;
    ck_assert_double_eq_tol(qm_monitor_sigma(&p, 0.5, 0.4), 0.15 * 0.75 * 0.8, EPS);
    ck_assert_double_eq_tol(qm_monitor_info(&p, 0.5, 0.5), 0.35, EPS);
    ck_assert_double_eq_tol(qm_costs_monitoring(&p, QM_PAY_BLOCK, 0.5, 0.8), 0.03, EPS);
    p.monitor.pay_factor[QM_PAY_ACTIVITY] = 1.5;
    p.monitor.pay_factor[QM_PAY_OUTCOME] = 2.0;
    ck_assert_double_eq_tol(qm_costs_monitoring(&p, QM_PAY_ACTIVITY, 0.5, 0.8), 0.045, EPS);
    ck_assert_double_eq_tol(qm_costs_monitoring(&p, QM_PAY_OUTCOME, 0.5, 0.8), 0.06, EPS);
    ck_assert_double_eq_tol(qm_monitor_reported_share(&p, 0.35), 0.935, EPS);
    /* Better information and monitoring never make the signal noisier. */
    ck_assert(qm_monitor_sigma(&p, 1.0, 1.0) < qm_monitor_sigma(&p, 0.0, 0.0));
}
END_TEST

/* ---- contract decision (MODEL.md 4.3) ---- */

START_TEST(decision_utilities)
{
    qm_params p = defaults();
    p.decision.b_trust = 3; p.decision.b_tenure = 1; p.decision.tenure_scale = 60;
    p.decision.b_gap = 4; p.decision.b_reneg0 = 0.5; p.decision.b_reneg_gap = 6;
    p.decision.b_tc = 0.5; p.decision.b_tender0 = -1; p.decision.b_market = 2;
    p.decision.b_policy = 3; p.decision.b_alt = 0.8; p.decision.b_risk = 3;
    p.decision.b_parcel = 2; p.decision.capacity_floor = 0.1;
    p.cost.renegotiation = 1; p.cost.tender = 6;
    qm_decision_in in = {.trust = 0.8, .tenure = 30, .gap = 0.1, .free_capacity = 2,
                         .n_alt = 2, .share = 0.5, .market = 0.2, .risk = 0.5,
                         .parcel = 0.3, .pressure = 0};
    double V[QM_DEC_N];
    int avail[QM_DEC_N];
    qm_decide_utilities(&p, &in, V, avail);
    ck_assert_double_eq_tol(V[QM_DEC_RENEW], 2.4 + 0.5 - 0.4, EPS);
    ck_assert_double_eq_tol(V[QM_DEC_RENEGOTIATE], 0.5 + 0.6 - 0.25, EPS);
    ck_assert_double_eq_tol(V[QM_DEC_TENDER],
                            -1 + 0.4 + 0.4 + 0.8 * log(3.0) - 1.5 - 0.75 - 1.4 - 2.4, EPS);
    ck_assert_int_eq(avail[QM_DEC_DECOMMISSION], 0);
    /* A negative gap counts as no gap; tenure saturates at the scale. */
    in.gap = -0.5;
    in.tenure = 600;
    qm_decide_utilities(&p, &in, V, avail);
    ck_assert_double_eq_tol(V[QM_DEC_RENEW], 2.4 + 1.0, EPS);
    /* Less free staff time makes tendering less attractive. */
    double before = V[QM_DEC_TENDER];
    in.free_capacity = 0.5;
    qm_decide_utilities(&p, &in, V, avail);
    ck_assert(V[QM_DEC_TENDER] < before);
}
END_TEST

START_TEST(decision_logit)
{
    double V[QM_DEC_N] = {1, 0, -1, 50}, prob[QM_DEC_N];
    int avail[QM_DEC_N] = {1, 1, 1, 0};
    qm_decide_probs(V, avail, prob);
    double z = 1 + exp(-1.0) + exp(-2.0);
    ck_assert_double_eq_tol(prob[0], 1 / z, EPS);
    ck_assert_double_eq_tol(prob[1], exp(-1.0) / z, EPS);
    ck_assert_double_eq_tol(prob[2], exp(-2.0) / z, EPS);
    ck_assert_double_eq_tol(prob[3], 0.0, EPS);
    ck_assert_int_eq(qm_decide_pick(prob, 0.5), 0);
    ck_assert_int_eq(qm_decide_pick(prob, 0.7), 1);
    ck_assert_int_eq(qm_decide_pick(prob, 0.95), 2);
    ck_assert_int_eq(qm_decide_pick(prob, 0.999999999999), 2);
    /* Huge utilities do not overflow. */
    double W[QM_DEC_N] = {800, 799, -800, 0};
    int all[QM_DEC_N] = {1, 1, 1, 1};
    qm_decide_probs(W, all, prob);
    ck_assert_double_eq_tol(prob[0], 1 / (1 + exp(-1.0)), EPS);
    ck_assert(isfinite(prob[2]) && prob[2] >= 0.0);
}
END_TEST

/* ---- tenders (MODEL.md 4.3) ---- */

START_TEST(tender_scoring_and_rank)
{
    qm_params p = defaults();
    p.tender.w_quality = 2; p.tender.w_price = 1; p.tender.w_trust = 0.5;
    ck_assert_double_eq_tol(qm_tender_score(&p, 0.7, 900, 1000, 0.6), 0.8, EPS);
    ck_assert_double_eq_tol(qm_tender_credit(0.6, 0.6, 0.8), 0.68, EPS);
    /* Poor information credits a confident claim: at I = 0 the claim counts whole. */
    ck_assert_double_eq_tol(qm_tender_credit(0.0, 0.5, 0.9), 0.9, EPS);
    qm_bid b[4] = {{.provider = 5, .score = 0.3}, {.provider = 2, .score = 0.9},
                   {.provider = 7, .score = 0.9}, {.provider = 1, .score = -1}};
    qm_tender_rank(b, 4);
    ck_assert_int_eq(b[0].provider, 2); /* tie broken by lower id */
    ck_assert_int_eq(b[1].provider, 7);
    ck_assert_int_eq(b[2].provider, 5);
    ck_assert_int_eq(b[3].provider, 1);
}
END_TEST

/* ---- market: drift, entry, exit (MODEL.md 4.3) ---- */

START_TEST(market_drift_entry_exit)
{
    qm_params p = defaults();
    p.market.drift_challenge = 0.002; p.market.drift_close = 0.003;
    p.market.reversion = 0.02; p.market.drift_sd = 0.005;
    ck_assert_double_eq_tol(qm_market_drift(&p, 0.6, 0.7, 1.0, 0, 0.0), 0.604, EPS);
    ck_assert_double_eq_tol(qm_market_drift(&p, 0.7, 0.7, 0.0, 1, 0.0), 0.697, EPS);
    ck_assert_double_eq_tol(qm_market_drift(&p, 0.7, 0.7, 0.0, 0, 2.0), 0.71, EPS);
    ck_assert_double_eq_tol(qm_market_drift(&p, 0.999, 1.0, 1.0, 0, 1e6), 1.0, EPS);
    ck_assert_double_eq_tol(qm_market_drift(&p, 0.001, 0.0, 0.0, 1, -1e6), 0.0, EPS);
    p.market.exit_loss_months = 12;
    ck_assert_int_eq(qm_market_exits(&p, QM_PK_INDEPENDENT, 12), 1);
    ck_assert_int_eq(qm_market_exits(&p, QM_PK_VOLUNTARY, 11), 0);
    ck_assert_int_eq(qm_market_exits(&p, QM_PK_NHS_ACUTE, 1000), 0);
    p.market.entry_rate = 0.05; p.market.entry_margin_scale = 0.2;
    ck_assert_double_eq_tol(qm_market_entry_prob(&p, 0.5, 0.1), 0.0125, EPS);
    ck_assert_double_eq_tol(qm_market_entry_prob(&p, 0.5, 0.9), 0.025, EPS);
    ck_assert_double_eq_tol(qm_market_entry_prob(&p, 0.5, -0.1), 0.0, EPS);
    ck_assert_double_eq_tol(qm_market_entry_prob(&p, 0.0, 0.5), 0.0, EPS);
    double v[6] = {1, -9, 1, -9, 2, -9};
    ck_assert_double_eq_tol(qm_market_hhi(v, 3, 2), 0.375, EPS);
}
END_TEST

/* ---- knowledge (MODEL.md 4.4) ---- */

START_TEST(knowledge_decay_and_learning)
{
    qm_params p = defaults();
    p.knowledge.decay_used = 0.002; p.knowledge.decay_idle = 0.01;
    p.knowledge.staff_turnover = 0.01; p.knowledge.hire_level = 0.4;
    p.knowledge.eta_relationship = 0.01;
    ck_assert_double_eq_tol(qm_knowledge_decay(&p, 0.5, 1), 0.49801, EPS);
    ck_assert_double_eq_tol(qm_knowledge_decay(&p, 0.5, 0), 0.5 * 0.99 + 0.01 * (0.4 - 0.495), EPS);
    ck_assert(qm_knowledge_decay(&p, 0.5, 0) < qm_knowledge_decay(&p, 0.5, 1));
    ck_assert_double_eq_tol(qm_knowledge_interpersonal(&p, 0.5, 0.8, 0.5), 0.502, EPS);
}
END_TEST

/* ---- payments (MODEL.md 3.2) ---- */

START_TEST(delivery_payments)
{
    qm_params p = defaults();
    p.contract.outcome_base_share = 0.8;
    p.contract.outcome_cap = 1.2;
    p.monitor.expectation = 0.6;
    ck_assert_double_eq_tol(qm_delivery_payment(&p, QM_PAY_BLOCK, 100, 10, 12, 0.5), 1000, EPS);
    ck_assert_double_eq_tol(qm_delivery_payment(&p, QM_PAY_ACTIVITY, 100, 10, 12, 0.5), 1200, EPS);
    ck_assert_double_eq_tol(qm_delivery_payment(&p, QM_PAY_OUTCOME, 100, 10, 12, 0.66), 1020, EPS);
    ck_assert_double_eq_tol(qm_delivery_payment(&p, QM_PAY_OUTCOME, 100, 10, 12, 0.99), 1040, EPS);
}
END_TEST

/* ---- random streams ---- */

START_TEST(rng_streams)
{
    /* SplitMix64's first output from state 0. */
    ck_assert_uint_eq(qm_rng_mix(0), 0xe220a8397b1dcdafULL);
    ck_assert_uint_eq(qm_rng_seed(1, 2, 3, 4), qm_rng_seed(1, 2, 3, 4));
    ck_assert_uint_ne(qm_rng_seed(1, 2, 3, 4), qm_rng_seed(1, 2, 3, 5));
    ck_assert_uint_ne(qm_rng_seed(1, 2, 3, 4), qm_rng_seed(1, 2, 4, 3));
    ck_assert_uint_ne(qm_rng_seed(1, 0, 3, 4), qm_rng_seed(1, 1, 3, 4));
    gsl_rng *a = qm_rng_alloc(QM_RNG_CMRG, 7, 0, QM_STREAM_COMMISSIONER, 3);
    gsl_rng *b = qm_rng_alloc(QM_RNG_CMRG, 7, 0, QM_STREAM_COMMISSIONER, 3);
    gsl_rng *c = qm_rng_alloc(QM_RNG_CMRG, 7, 0, QM_STREAM_COMMISSIONER, 4);
    int same = 1, differ = 0;
    for (int i = 0; i < 100; i++) {
        unsigned long x = gsl_rng_get(a), y = gsl_rng_get(b), z = gsl_rng_get(c);
        same &= x == y;
        differ += x != z;
    }
    ck_assert(same);
    ck_assert_int_gt(differ, 95);
    gsl_rng_free(a);
    gsl_rng_free(b);
    gsl_rng_free(c);
}
END_TEST

/* Each generator kind is the GSL type of that name, seeded with the mixed
 * seed folded to 32 bits (docs/ODD.md 2.9); kinds out of range give NULL. */
START_TEST(rng_generators)
{
    for (int g = 0; g < QM_RNG_N; g++) {
        const gsl_rng_type *T = qm_rng_type(g);
        ck_assert_ptr_nonnull(T);
        ck_assert_str_eq(T->name, qm_rng_names[g]);
        uint64_t s = qm_rng_seed(7, 1, QM_STREAM_PROVIDER, 12);
        unsigned long folded = (unsigned long)((s ^ (s >> 32)) & 0xffffffffULL);
        gsl_rng *want = gsl_rng_alloc(T);
        gsl_rng_set(want, folded ? folded : 1UL);
        gsl_rng *got = qm_rng_alloc(g, 7, 1, QM_STREAM_PROVIDER, 12);
        ck_assert_ptr_nonnull(got);
        for (int i = 0; i < 10; i++)
            ck_assert_uint_eq(gsl_rng_get(got), gsl_rng_get(want));
        gsl_rng_free(want);
        gsl_rng_free(got);
    }
    ck_assert_ptr_null(qm_rng_names[QM_RNG_N]);
    ck_assert_ptr_null(qm_rng_type(-1));
    ck_assert_ptr_null(qm_rng_type(QM_RNG_N));
    ck_assert_ptr_null(qm_rng_alloc(QM_RNG_N, 7, 0, QM_STREAM_MARKET, 0));
    /* The default is the small-state combined MRG. */
    ck_assert_ptr_eq(qm_rng_type(QM_RNG_CMRG), gsl_rng_cmrg);
}
END_TEST

/* ---- knowledge conduits and engagements (MODEL.md 4.4) ---- */

START_TEST(conduit_transfer_and_absorption)
{
    qm_params p = defaults();
    p.knowledge.absorb_base = 0.2; p.knowledge.absorb_slope = 0.8;
    p.knowledge.distance_peak = 0.4; p.knowledge.trust_exponent = 1.0;
    p.knowledge.eta_placement = 0.08; p.knowledge.eta_product = 0.02; p.knowledge.eta_advisory = 0.01;
    ck_assert_double_eq_tol(qm_conduit_absorb(&p, 0.5), 0.6, EPS);
    /* The inverted U: 1 at the peak, lower either side, 0 at no distance. */
    ck_assert_double_eq_tol(qm_conduit_distance(&p, 0.4), 1.0, EPS);
    ck_assert_double_eq_tol(qm_conduit_distance(&p, 0.2), 0.5 * exp(0.5), EPS);
    ck_assert_double_eq_tol(qm_conduit_distance(&p, 0.8), 2.0 * exp(-1.0), EPS);
    ck_assert_double_eq_tol(qm_conduit_distance(&p, 0.0), 0.0, EPS);
    /* K 0.3, S 0.7: gap 0.4 at the peak; abs 0.44; 0.08 x 0.44 x 1 x 1 x 0.8 x 0.5 x 0.4 */
    ck_assert_double_eq_tol(qm_conduit_transfer(&p, QM_CONDUIT_PLACEMENT, 0.3, 0.7, 1.0, 0.8, 0.5), 0.005632, EPS);
    ck_assert_double_eq_tol(qm_conduit_transfer(&p, QM_CONDUIT_PRODUCT, 0.3, 0.7, 1.0, 0.8, 0.5), 0.001408, EPS);
    ck_assert_double_eq_tol(qm_conduit_transfer(&p, QM_CONDUIT_ADVISORY, 0.3, 0.7, 1.0, 0.8, 0.5), 0.000704, EPS);
    ck_assert_double_eq_tol(qm_conduit_transfer(&p, QM_CONDUIT_PLACEMENT, 0.3, 0.7, 0.3, 0.8, 0.5), 0.0016896, EPS);
    /* Nothing flows from an agency that knows less. */
    ck_assert_double_eq_tol(qm_conduit_transfer(&p, QM_CONDUIT_PLACEMENT, 0.8, 0.7, 1.0, 1.0, 1.0), 0.0, EPS);
    /* A clause (theta = 1) transfers more than a firm's own orientation. */
    ck_assert(qm_conduit_transfer(&p, 0, 0.3, 0.7, 1.0, 0.8, 0.5) > qm_conduit_transfer(&p, 0, 0.3, 0.7, 0.2, 0.8, 0.5));
}
END_TEST

START_TEST(conduit_borrowing_choice_docking)
{
    qm_params p = defaults();
    p.engage.coverage_fte = 2.0;
    ck_assert_double_eq_tol(qm_conduit_borrowed(&p, 1.0, 0.7, 0.8), 0.28, EPS);
    ck_assert_double_eq_tol(qm_conduit_borrowed(&p, 4.0, 0.7, 0.8), 0.56, EPS);
    ck_assert_double_eq_tol(qm_conduit_dependency(0.3, 0.56), 0.26 / 0.56, EPS);
    ck_assert_double_eq_tol(qm_conduit_dependency(0.6, 0.5), 0.0, EPS);
    ck_assert_double_eq_tol(qm_conduit_dependency(0.0, 0.0), 0.0, EPS);
    p.engage.w_trust = 2; p.engage.w_skill = 2; p.engage.w_fee = 1; p.engage.w_fit = 1.5;
    p.engage.w_host = 1; p.engage.w_push = 1; p.engage.reference_fee = 8000;
    ck_assert_double_eq_tol(qm_engagements_utility(&p, 0.5, 0.7, 8000, 0.6, 1, 0.5), 3.8, EPS);
    ck_assert_double_eq_tol(qm_engagements_utility(&p, 0.5, 0.7, 8000, 0.6, 0, 0.5), 2.8, EPS);
    p.engage.fail_share = 0.45; p.engage.dock = 0.25;
    ck_assert_double_eq_tol(qm_engagements_docking(&p, 0.4, 10000), 2500, EPS);
    ck_assert_double_eq_tol(qm_engagements_docking(&p, 0.5, 10000), 0.0, EPS);
}
END_TEST

/* ---- service developments (MODEL.md 4.5) ---- */

START_TEST(development_effort_slots_stalls)
{
    qm_params p = defaults();
    p.develop.effort[0] = 8; p.develop.effort_cv = 0.3;
    /* Median of a log-normal of mean 8 and cv 0.3: 8 exp(-ln(1.09) / 2) */
    ck_assert_double_eq_tol(qm_develop_effort(&p, 0, 0.0), 8.0 * exp(-0.5 * log(1.09)), EPS);
    ck_assert(qm_develop_effort(&p, 0, 1.0) > qm_develop_effort(&p, 0, 0.0));
    p.develop.fte_each = 1.5; p.develop.max_slots = 8;
    ck_assert_int_eq(qm_develop_slots(&p, 4.0), 2);
    ck_assert_int_eq(qm_develop_slots(&p, 1.0), 0);
    ck_assert_int_eq(qm_develop_slots(&p, 100.0), 8);
    p.develop.min_share = 0.5; p.develop.monthly_need = 1.0;
    ck_assert_int_eq(qm_develop_stalls(&p, 0.4), 1);
    ck_assert_int_eq(qm_develop_stalls(&p, 0.5), 0);
    p.develop.start_base = 0.004; p.develop.start_gap = 0.05; p.develop.copy_rate = 0.2;
    ck_assert_double_eq_tol(qm_develop_start_prob(&p, 0.2, 0.05), 0.024, EPS);
    ck_assert_double_eq_tol(qm_develop_start_prob(&p, -0.2, 0.0), 0.004, EPS);
    ck_assert_double_eq_tol(qm_develop_start_prob(&p, 100.0, 0.0), 1.0, EPS);
}
END_TEST

START_TEST(registry_is_consistent)
{
    /* Every default lies in its range, so a scenario of defaults is valid. */
    const qm_param_def *tabs[] = {qm_param_table, qm_service_fields, qm_cgroup_fields,
                                  qm_pgroup_fields, qm_agroup_fields, qm_timeline_fields};
    for (int t = 0; t < 6; t++)
        for (const qm_param_def *d = tabs[t]; d->path; d++) {
            if (d->type == QM_T_DOUBLE || d->type == QM_T_INT || d->type == QM_T_DIST)
                ck_assert_msg(d->def >= d->min && d->def <= d->max, "%s default out of range", d->path);
            ck_assert_msg(d->doc && d->doc[0], "%s lacks a description", d->path);
        }
    qm_params p = defaults();
    char msg[256];
    ck_assert_int_eq(qm_params_check(&p, msg, sizeof msg), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("model");
    TCase *tc = tcase_create("submodels");
    tcase_add_test(tc, trust_prior_and_updates);
    tcase_add_test(tc, trust_penalty_rupture_history);
    tcase_add_test(tc, trust_stays_in_unit_interval);
    tcase_add_test(tc, monitoring_noise_and_cost);
    tcase_add_test(tc, decision_utilities);
    tcase_add_test(tc, decision_logit);
    tcase_add_test(tc, tender_scoring_and_rank);
    tcase_add_test(tc, market_drift_entry_exit);
    tcase_add_test(tc, knowledge_decay_and_learning);
    tcase_add_test(tc, delivery_payments);
    tcase_add_test(tc, rng_streams);
    tcase_add_test(tc, rng_generators);
    tcase_add_test(tc, conduit_transfer_and_absorption);
    tcase_add_test(tc, conduit_borrowing_choice_docking);
    tcase_add_test(tc, development_effort_slots_stalls);
    tcase_add_test(tc, registry_is_consistent);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
