/* test_develop.c: MODEL.md 4.5, service developments (src/model/
 * develop.c): effort, start, staffing, stalls and abandonment, stages and
 * launch, a leading provider, the benefit after its lag (v2: a quality
 * gain or a unit-cost cut of uncertain size), copying a neighbour; and two
 * whole runs. */
#include <math.h>
#include <gsl/gsl_randist.h>

#include "fixture.h"
#include "model/develop.h"

enum { ACUTE = 0 };
#define MONTH 10

START_TEST(effort_slots_stalls)
{
    qm_params p;
    qm_params_defaults(qm_param_table, &p);
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

/* The tiny state at MONTH with no staff absence and no spontaneous starts:
 * C1 has 2 FTE of development staff. */
static fx *quiet(void)
{
    fx *f = fx_open(NULL);
    qm_sim *sim = f->sim;
    sim->month = MONTH;
    fx_forget(sim);
    qm_params *P = &sim->p;
    P->develop.absence_mean = 0.0;
    P->develop.start_base = P->develop.start_gap = P->develop.copy_rate = 0.0;
    return f;
}

/* A development's four efforts are log-normal (means 8, 6, 3, 3, cv 0.3)
 * from C1's stream, then a draw decides whether it will replace the old
 * contract (share 0.2).  With no relationship, C1 trusts Acute at its
 * prior 0.7, below the 0.75 a lead needs. */
START_TEST(begin)
{
    fx *f = quiet();
    qm_sim *sim = f->sim;
    qm_commissioner *cm = &sim->comm[0];
    gsl_rng *same = gsl_rng_clone(cm->rng);
    double need[4], mean[4] = {8, 6, 3, 3};
    for (int k = 0; k < 4; k++)
        need[k] = qm_draw_lognormal_at(mean[k], 0.09, qm_draw_gaussian(same, 1.0));
    int replaces = gsl_rng_uniform(same) < 0.2;
    gsl_rng_free(same);
    ck_assert_int_eq(qm_develop_begin(sim, 0, 1, 1), 0);
    const qm_development *d = &cm->dev[0];
    ck_assert_int_eq(d->active, 1);
    ck_assert_int_eq(d->service, 1);
    ck_assert_int_eq(d->stage, 0);
    ck_assert_int_eq(d->start, MONTH);
    ck_assert_int_eq(d->launch, -1);
    ck_assert_int_eq(d->directive, 1);
    for (int k = 0; k < 4; k++)
        ck_assert_double_eq(d->need[k], need[k]);
    ck_assert_int_eq(d->replaces, replaces);
    ck_assert_int_eq(d->lead, 0);
    ck_assert_int_eq(cm->n_dev, 1);
    ck_assert_double_eq_tol(cm->t.dev_started, 1.0, EPS);
    const qm_event *e = &cm->events[cm->n_events - 1];
    ck_assert_int_eq(e->type, QM_EV_DEVELOPMENT_START);
    ck_assert_int_eq(e->provider, -1);
    ck_assert_double_eq_tol(e->value, 1.0, EPS);
    /* A trusted incumbent (alpha 4: T = 6.8 / 8 = 0.85) leads the next one;
     * an agency engaged for redesign leads where it is not trusted. */
    qm_state_rel(sim, 0, ACUTE, 1)->alpha = 4.0;
    ck_assert_int_eq(qm_develop_begin(sim, 0, 0, 0), 1);
    ck_assert_int_eq(cm->dev[1].lead, 1);
    ck_assert_int_eq(cm->events[cm->n_events - 1].provider, ACUTE);
    qm_state_rel(sim, 0, ACUTE, 1)->alpha = 0.0;
    cm->eng[0] = (qm_engagement){.active = 1, .purpose = QM_PURPOSE_REDESIGN};
    cm->n_eng = 1;
    ck_assert_int_eq(qm_develop_begin(sim, 0, 0, 0), 2);
    ck_assert_int_eq(cm->dev[2].lead, 2);
    /* No slot left: nothing starts. */
    for (int i = 3; i < sim->p.develop.max_slots; i++)
        ck_assert_int_eq(qm_develop_begin(sim, 0, 0, 0), i);
    ck_assert_int_eq(qm_develop_begin(sim, 0, 0, 0), -1);
    fx_close(f);
}
END_TEST

/* Without development staff a development gets nothing: it stalls (its
 * month's need of 1 FTE is a shortfall), and after 24 stalled months it
 * is abandoned. */
START_TEST(stall_and_abandon)
{
    fx *f = quiet();
    qm_sim *sim = f->sim;
    qm_commissioner *cm = &sim->comm[0];
    qm_develop_begin(sim, 0, 0, 0);
    cm->dev_staff = 0.0;
    qm_develop_step(sim, 0);
    qm_development *d = &cm->dev[0];
    ck_assert_int_eq(d->active, 1);
    ck_assert_int_eq(d->stalled_months, 1);
    ck_assert_int_eq(d->ever_stalled, 1);
    ck_assert_double_eq_tol(cm->t.dev_stalled, 1.0, EPS);
    ck_assert_double_eq_tol(cm->t.dev_shortfall, 1.0, EPS);
    ck_assert_double_eq_tol(d->done, 0.0, EPS);
    d->stalled_months = 23;
    sim->month = MONTH + 30;
    qm_develop_step(sim, 0);
    ck_assert_int_eq(d->active, 0);
    ck_assert_double_eq_tol(cm->t.dev_abandoned, 1.0, EPS);
    const qm_event *e = &cm->events[cm->n_events - 1];
    ck_assert_int_eq(e->type, QM_EV_DEVELOPMENT_ABANDON);
    ck_assert_double_eq_tol(e->value, 30.0, EPS);
    fx_close(f);
}
END_TEST

/* Contracting work that did not fit is done by development staff: 1.5 of
 * C1's 2 FTE go to it, and the development gets 0.5, half its need: just
 * enough not to stall, and the rest a shortfall. */
START_TEST(contracting_overflow_takes_development_time)
{
    fx *f = quiet();
    qm_sim *sim = f->sim;
    qm_commissioner *cm = &sim->comm[0];
    qm_develop_begin(sim, 0, 0, 0);
    cm->t.staff_shortfall = 1.5;
    qm_develop_step(sim, 0);
    ck_assert_double_eq_tol(cm->dev_free, 0.5, EPS);
    ck_assert_int_eq(cm->dev[0].stalled_months, 0);
    ck_assert_double_eq_tol(cm->dev[0].done, 0.5, EPS);
    ck_assert_double_eq_tol(cm->t.dev_shortfall, 0.5, EPS);
    /* A redesign engagement's delivered FTE join the pool. */
    cm->eng[0] = (qm_engagement){.active = 1, .purpose = QM_PURPOSE_REDESIGN, .delivered = 0.25};
    cm->n_eng = 1;
    qm_develop_step(sim, 0);
    ck_assert_double_eq_tol(cm->dev_free, 0.75, EPS);
    fx_close(f);
}
END_TEST

/* Efforts 1.5, 0.5, 1 and 1 FTE-months at 1 FTE a month (2 FTE spread
 * over one development, capped at its need): after month 1 still in
 * needs; month 2 ends needs and specification at once; month 3
 * (procurement, ex ante: 5,000 GBP) ends procurement; month 4 ends
 * implementation: launched 4 months after the start; it replaces the old
 * contract. */
START_TEST(stages_and_launch)
{
    fx *f = quiet();
    qm_sim *sim = f->sim;
    qm_commissioner *cm = &sim->comm[0];
    qm_develop_begin(sim, 0, 0, 0);
    qm_development *d = &cm->dev[0];
    double need[4] = {1.5, 0.5, 1.0, 1.0};
    for (int k = 0; k < 4; k++)
        d->need[k] = need[k];
    d->replaces = 1;
    int stage[4] = {0, 2, 3, 4};
    for (int m = 0; m < 4; m++) {
        sim->month = MONTH + m;
        cm->t.tc_development = 0.0;
        qm_develop_step(sim, 0);
        ck_assert_int_eq(d->stage, stage[m]);
        if (m == 2)
            ck_assert_double_eq_tol(cm->t.tc_development, 5000.0, EPS);
        else
            ck_assert_double_eq_tol(cm->t.tc_development, 0.0, EPS);
    }
    ck_assert_int_eq(d->launch, MONTH + 3);
    ck_assert_double_eq_tol(cm->t.dev_completed, 1.0, EPS);
    ck_assert_double_eq_tol(cm->t.dev_launch_months, 3.0, EPS);
    ck_assert_int_eq(QM_CON(sim, 0, 0)->replace_ready, 1);
    ck_assert_int_eq(cm->events[cm->n_events - 1].type, QM_EV_DEVELOPMENT_LAUNCH);
    /* The benefit comes 24 months after the launch, on that contract: a
     * quality gain of exactly its mean when its spread is 0 and every
     * benefit is a quality gain; settled serially. */
    sim->p.develop.cost_share = 0.0;
    sim->p.develop.quality_gain_sd = 0.0;
    sim->month = MONTH + 3 + 23;
    qm_develop_step(sim, 0);
    ck_assert_int_eq(d->realised, 0);
    qm_develop_publish(sim, 0);
    ck_assert_double_eq_tol(QM_CON(sim, 0, 0)->bonus, 0.0, EPS);
    sim->month++;
    qm_develop_step(sim, 0);
    ck_assert_int_eq(d->realised, 1);
    ck_assert_double_eq_tol(d->benefit, 0.05, EPS);
    ck_assert_double_eq_tol(cm->benefit_new, 0.05, EPS);
    ck_assert_int_eq(cm->benefit_service_new, 0);
    ck_assert_int_eq(d->active, 1);
    ck_assert_double_eq_tol(QM_CON(sim, 0, 0)->bonus, 0.0, EPS);
    /* Settled and published for the neighbours. */
    qm_develop_publish(sim, 0);
    ck_assert_double_eq_tol(QM_CON(sim, 0, 0)->bonus, 0.05, EPS);
    ck_assert_double_eq_tol(QM_CON(sim, 0, 1)->bonus, 0.0, EPS);
    ck_assert_int_eq(d->active, 0);
    ck_assert_double_eq_tol(cm->benefit_seen, 0.05, EPS);
    ck_assert_int_eq(cm->benefit_service, 0);
    fx_close(f);
}
END_TEST

/* MODEL.md 4.5 (v2): a benefit is a unit-cost cut when a uniform draw is
 * below cost_share (0.5), else a quality gain; its size is normal: a
 * quality gain 0.05 + 0.05 z (z = -1: nil; z = -2: a loss of 0.05), a
 * cut 0.03 + 0.05 z (z = 1: 0.08; never above the whole cost).  A cut of
 * 0.1 on a contract of 200 units among the 400 a provider holds lowers
 * its unit cost by 0.1 x 200 / 400 = 5 %; on a contract of all it holds,
 * or more (held moved since), by the whole 10 %; a provider holding
 * nothing keeps its cost. */
START_TEST(benefit_draws)
{
    qm_params p;
    qm_params_defaults(qm_param_table, &p);
    ck_assert_int_eq(qm_develop_benefit_is_cost(&p, 0.3), 1);
    ck_assert_int_eq(qm_develop_benefit_is_cost(&p, 0.7), 0);
    ck_assert_double_eq_tol(qm_develop_benefit_size(&p, 0, -1.0), 0.0, EPS);
    ck_assert_double_eq_tol(qm_develop_benefit_size(&p, 0, -2.0), -0.05, EPS);
    ck_assert_double_eq_tol(qm_develop_benefit_size(&p, 0, 0.0), 0.05, EPS);
    ck_assert_double_eq_tol(qm_develop_benefit_size(&p, 1, 1.0), 0.08, EPS);
    ck_assert_double_eq_tol(qm_develop_benefit_size(&p, 1, 100.0), 1.0, EPS);
    ck_assert_double_eq_tol(qm_develop_provider_cost_factor(0.1, 200.0, 400.0), 0.95, EPS);
    ck_assert_double_eq_tol(qm_develop_provider_cost_factor(0.1, 400.0, 400.0), 0.9, EPS);
    ck_assert_double_eq_tol(qm_develop_provider_cost_factor(0.1, 500.0, 400.0), 0.9, EPS);
    ck_assert_double_eq_tol(qm_develop_provider_cost_factor(0.1, 200.0, 0.0), 1.0, EPS);
    ck_assert_double_eq_tol(qm_develop_provider_cost_factor(-0.1, 200.0, 400.0), 1.05, EPS);
}
END_TEST

/* A unit-cost cut of 0.1 realised by C1 on the acute service, settled:
 * its contract's price falls by 10 % (1,000 to 900) and the unit cost of
 * Acute, which holds C1's 200 units among all it holds for the service,
 * falls by 0.1 x 200 / held; the quality bonus is untouched, and the
 * neighbours see 0.1 on that service.  A failed quality benefit (-0.02)
 * lands on the contract as a loss, and the neighbours see it, so it is
 * not copied. */
START_TEST(benefit_settled)
{
    fx *f = quiet();
    qm_sim *sim = f->sim;
    qm_commissioner *cm = &sim->comm[0];
    qm_contract *k = QM_CON(sim, 0, 0);
    ck_assert_int_eq(k->provider, ACUTE);
    size_t ps = QM_PS(sim, ACUTE, 0);
    double u = sim->unit_cost[ps], held = sim->held[ps], price = k->price;
    ck_assert_double_eq_tol(k->volume, 200.0, EPS);
    ck_assert(held >= 200.0);
    qm_develop_begin(sim, 0, 0, 0);
    qm_development *d = &cm->dev[0];
    d->stage = 4;
    d->realised = 1;
    d->cost_benefit = 1;
    d->benefit = 0.1;
    cm->benefit_new = 0.1;
    cm->benefit_service_new = 0;
    qm_develop_publish(sim, 0);
    ck_assert_double_eq_tol(k->price, 0.9 * price, 1e-9);
    ck_assert_double_eq_tol(sim->unit_cost[ps], u * (1.0 - 0.1 * 200.0 / held), 1e-9);
    ck_assert_double_eq_tol(k->bonus, 0.0, EPS);
    ck_assert_int_eq(d->active, 0);
    ck_assert_double_eq_tol(cm->benefit_seen, 0.1, EPS);
    ck_assert_int_eq(cm->benefit_service, 0);
    qm_develop_begin(sim, 0, 1, 0);
    d->stage = 4;
    d->realised = 1;
    d->cost_benefit = 0;
    d->benefit = -0.02;
    cm->benefit_new = -0.02;
    cm->benefit_service_new = 1;
    qm_develop_publish(sim, 0);
    ck_assert_double_eq_tol(QM_CON(sim, 0, 1)->bonus, -0.02, EPS);
    ck_assert_double_eq_tol(cm->benefit_seen, -0.02, EPS);
    ck_assert_int_eq(cm->benefit_service, 1);
    sim->p.develop.copy_rate = 20.0;
    sim->comm[1].n_dev = 0;
    qm_develop_step(sim, 1);
    ck_assert_int_eq(sim->comm[1].n_dev, 0);
    fx_close(f);
}
END_TEST

/* A trusted incumbent leads: it carries 0.3 of the month's need at its
 * own cost (1,500 GBP in specification), the commissioner the other 0.7;
 * the joint work adds 0.2 to alpha and the provider's knowledge flows to
 * X: 0.5 + 0.01 T x 0.5 x 0.5 with T = (4.2 + 2.8) / 8.2. */
START_TEST(provider_lead)
{
    fx *f = quiet();
    qm_sim *sim = f->sim;
    qm_commissioner *cm = &sim->comm[0];
    qm_rel *r = qm_state_rel(sim, 0, ACUTE, 1);
    r->alpha = 4.0;
    qm_develop_begin(sim, 0, 0, 0);
    qm_development *d = &cm->dev[0];
    ck_assert_int_eq(d->lead, 1);
    d->stage = 1;
    d->need[1] = 10.0;
    qm_develop_step(sim, 0);
    ck_assert_double_eq_tol(d->done, 1.0, EPS);
    ck_assert_double_eq_tol(cm->t.tc_development, 0.7 * 5000.0, EPS);
    ck_assert_double_eq_tol(cm->t.tc_provider_development, 0.3 * 5000.0, EPS);
    ck_assert_double_eq_tol(r->alpha, 4.2, EPS);
    double T = 7.0 / 8.2;
    ck_assert_double_eq_tol(cm->X, 0.5 + 0.01 * T * 0.5 * 0.5, EPS);
    fx_close(f);
}
END_TEST

/* Starting one: at most one new development a month, the first service
 * whose draw falls below its probability; never more than the staff allow
 * (2 FTE at 1 FTE each: 2).  A neighbour's realised benefit on a service
 * makes copying it likely (copy rate 20 x benefit 0.05 = 1). */
START_TEST(starting)
{
    fx *f = quiet();
    qm_sim *sim = f->sim;
    qm_commissioner *cm = &sim->comm[0];
    sim->p.develop.start_base = 1.0;
    qm_develop_step(sim, 0);
    ck_assert_int_eq(cm->n_dev, 1);
    ck_assert_int_eq(cm->dev[0].service, 0);
    qm_develop_step(sim, 0);
    ck_assert_int_eq(cm->n_dev, 2);
    ck_assert_int_eq(cm->dev[1].service, 1);
    qm_develop_step(sim, 0);
    ck_assert_int_eq(cm->n_dev, 2);
    fx_close(f);
    f = quiet();
    sim = f->sim;
    sim->p.develop.copy_rate = 20.0;
    sim->comm[1].benefit_seen = 0.05;
    sim->comm[1].benefit_service = 1;
    qm_develop_step(sim, 0);
    ck_assert_int_eq(sim->comm[0].n_dev, 1);
    ck_assert_int_eq(sim->comm[0].dev[0].service, 1);
    fx_close(f);
}
END_TEST

/* Whole run: with no development staff a development ordered by directive
 * stalls every month and is abandoned after abandon_months. */
START_TEST(run_stalls_and_is_abandoned)
{
    fx *x = fx_small("0.0", "0.8",
                     "timeline = ( { month = 1; type = \"directive\"; service = \"diabetes\"; share = 1.0; } );"
                     "development = { start_base = 0.0; start_gap = 0.0; copy_rate = 0.0; absence_mean = 0.0; };"
                     "engagement = { overflow_trigger = 1000.0; };");
    qm_sim_free(x->sim);
    char err[256];
    for (int g = 0; g < x->sc.n_cgroups; g++)
        x->sc.cgroups[g].development_staff.a = 0.0;
    x->sim = qm_sim_create(&x->sc, x->sc.seed, 0, 1, err, sizeof err);
    ck_assert_msg(x->sim != NULL, "%s", err);
    qm_sim *sim = x->sim;
    fx_step_to(sim, 2);
    ck_assert_int_eq(sim->comm[0].dev[0].active, 1);
    ck_assert_int_eq(sim->comm[0].dev[0].stalled_months, 1);
    fx_step_to(sim, 1 + sim->p.develop.abandon_months);
    ck_assert_int_eq(sim->comm[0].dev[0].active, 0);
    fx_close(x);
}
END_TEST

/* Whole run: with ample staff a development moves through its stages at
 * its monthly need (1 FTE), launching after the sum of its stage efforts. */
START_TEST(run_progresses_through_stages)
{
    fx *x = fx_small("0.0", "0.8",
                     "timeline = ( { month = 1; type = \"directive\"; service = \"dementia\"; share = 0.25; } );"
                     "development = { start_base = 0.0; start_gap = 0.0; copy_rate = 0.0; absence_mean = 0.0;"
                     "                lead_trust = 1.0; cost_share = 0.0; quality_gain_sd = 0.0; };"
                     "engagement = { overflow_trigger = 1000.0; };");
    qm_sim *sim = x->sim;
    fx_step_to(sim, 2);
    const qm_development *d = &sim->comm[0].dev[0];
    ck_assert_int_eq(d->active, 1);
    double need = d->need[0] + d->need[1] + d->need[2] + d->need[3];
    int launch = 1 + (int)ceil(need - 1e-9) - 1; /* one FTE-month of work per month from month 1 */
    fx_step_to(sim, launch);
    ck_assert_int_lt(d->stage, 4);
    fx_step_to(sim, launch + 1);
    ck_assert_int_eq(d->stage, 4);
    ck_assert_int_eq(d->launch, launch);
    /* The benefit arrives after the lag, on that contract only. */
    fx_step_to(sim, launch + sim->p.develop.benefit_lag + 1);
    ck_assert_double_eq_tol(sim->con[1].bonus, sim->p.develop.quality_gain, EPS);
    ck_assert_double_eq_tol(sim->con[0].bonus, 0.0, EPS);
    fx_close(x);
}
END_TEST

static void add(TCase *tc)
{
    tcase_add_test(tc, effort_slots_stalls);
    tcase_add_test(tc, begin);
    tcase_add_test(tc, stall_and_abandon);
    tcase_add_test(tc, contracting_overflow_takes_development_time);
    tcase_add_test(tc, stages_and_launch);
    tcase_add_test(tc, benefit_draws);
    tcase_add_test(tc, benefit_settled);
    tcase_add_test(tc, provider_lead);
    tcase_add_test(tc, starting);
    tcase_add_test(tc, run_stalls_and_is_abandoned);
    tcase_add_test(tc, run_progresses_through_stages);
}

int main(void)
{
    return fx_run("develop", add);
}
