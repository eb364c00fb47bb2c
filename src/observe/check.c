/* check.c: the invariants of a running simulation, read off the state and
 * the frame after each month (qmsim run --check; docs/reliability.md). */
#include "qmsim/check.h"

#include "core/state.h"

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

/* A double (or an array of n doubles) inside an entity's struct, with what
 * it means and whether it is a share that must lie in [0, 1]. */
typedef struct field {
    const char *name;       /* the struct member */
    const char *meaning;    /* words for the message, "" when the name says it */
    size_t offset;
    int n;                  /* doubles in the member */
    int share;              /* 1: must lie in [0, 1] */
} field;

/* The _Generic stops the build if a member stops being a double (or an
 * array of n doubles), rather than letting it be misread. */
#define FLD(type, m, meaning, share) \
    {#m, meaning, offsetof(type, m) * _Generic(((type *)0)->m, double: 1), 1, share}
#define ARR(type, m, n, meaning) \
    {#m, meaning, offsetof(type, m) * _Generic(((type *)0)->m[0], double: 1) \
     + 0 * sizeof(char[sizeof ((type *)0)->m == (n) * sizeof(double) ? 1 : -1]), n, 0}

#define CF(m, meaning, share) FLD(qm_commissioner, m, meaning, share)
static const field comm_fields[] = {
    CF(population, "", 0), CF(budget, "", 0), CF(dev_staff, "development staff", 0),
    CF(con_staff, "contracting staff", 0), CF(A, "analytic knowledge", 1),
    CF(X, "contextual knowledge", 1), CF(R, "procurement knowledge", 1),
    CF(data, "data infrastructure", 1), CF(market, "market orientation", 1),
    CF(risk, "risk aversion", 1), CF(receptivity, "", 1), CF(info, "information quality", 1),
    CF(A_eff, "effective analytic knowledge", 1), CF(tender_load, "", 0),
    CF(con_free, "free contracting staff", 0), CF(position, "", 0), CF(tool, "product capability", 0),
    CF(borrowed, "borrowed capability", 0), CF(dependency, "dependency index", 1),
    CF(dev_free, "free development staff", 0), CF(last_overflow_con, "", 0),
    CF(last_overflow_dev, "", 0), CF(benefit_new, "", 0), CF(benefit_seen, "", 0),
};

#define TF(m) FLD(qm_tally, m, "this month's tally", 0)
static const field tally_fields[] = {
    ARR(qm_tally, decisions, 4, "this month's tally"), TF(rollovers), TF(tenders_started),
    TF(tenders_completed), TF(switches), TF(tc_renewal), TF(tc_renegotiation), TF(tc_tender),
    TF(tc_bid), TF(tc_monitoring), TF(tc_switching), TF(staff_shortfall), TF(contracting_used),
    TF(spend), TF(activity), TF(unmet), TF(quality_sum), TF(fees),
    ARR(qm_tally, fees_kind, QM_AK_N, "this month's tally"), TF(engagements_started),
    TF(engagement_renewals), TF(engagements_docked), TF(engagements_ended), TF(tc_dispute),
    TF(tc_development), TF(tc_provider_development), TF(dev_started), TF(dev_completed),
    TF(dev_stalled), TF(dev_abandoned), TF(dev_launch_months), TF(dev_launched_stalled),
    TF(dev_shortfall), TF(decommissions),
};

#define KF(m, share) FLD(qm_contract, m, "", share)
static const field contract_fields[] = {
    KF(bonus, 0), KF(price, 0), KF(volume, 0), KF(monitoring, 0), KF(qhat, 0), KF(demand, 0),
    KF(delivered, 0), KF(reported, 0), KF(paid, 0), FLD(qm_contract, quality, "delivered quality", 1),
    KF(trust, 1),
};

#define PF(m) FLD(qm_provider, m, "", 0)
static const field provider_fields[] = {
    PF(position), PF(markup), PF(optimism), PF(sharing), PF(revenue), PF(delivery_cost),
    PF(bid_cost), PF(activity),
};

#define AF(m) FLD(qm_agency, m, "", 0)
static const field agency_fields[] = {
    AF(position), AF(capacity), AF(skill), AF(fit), AF(fee), AF(transfer), AF(turnover), AF(push),
    AF(booked), AF(revenue),
};

#define EF(m) FLD(qm_engagement, m, "", 0)
static const field engagement_fields[] = {
    EF(fte), EF(fee), EF(clarity), EF(context), EF(achieved), EF(delivered), EF(paid),
};

static const field development_fields[] = {
    FLD(qm_development, done, "effort done", 0), ARR(qm_development, need, 4, "effort needed"),
};

/* What is being checked, for messages. */
typedef struct ctx {
    char *msg;
    size_t n;
    int month;
} ctx;

/* The entity a value belongs to: "commissioner 'N'" optionally followed by
 * ", contract for 'S'".  Only formatted when something is wrong, so that a
 * check costs little more than reading the values. */
typedef struct ent {
    const char *kind;       /* commissioner, provider, agency, service, money, series */
    const char *name;       /* NULL for money and series */
    const char *sub;        /* "contract for", "service", ... or NULL */
    const char *sub_name;
} ent;

/* Writes "month M: ENTITY: WHAT" into the message; returns 1 (a violation). */
static int report(const ctx *x, const ent *e, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int report(const ctx *x, const ent *e, const char *fmt, ...)
{
    if (!x->msg || x->n == 0)
        return 1;
    int k;
    if (e->name && e->sub)
        k = snprintf(x->msg, x->n, "month %d: %s '%s', %s '%s': ", x->month, e->kind, e->name,
                     e->sub, e->sub_name ? e->sub_name : "?");
    else if (e->name)
        k = snprintf(x->msg, x->n, "month %d: %s '%s': ", x->month, e->kind, e->name);
    else
        k = snprintf(x->msg, x->n, "month %d: %s: ", x->month, e->kind);
    if (k >= 0 && (size_t)k < x->n) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(x->msg + k, x->n - (size_t)k, fmt, ap);
        va_end(ap);
    }
    return 1;
}

/* One value: finite, and in [0, 1] when share.  Named "meaning name[i]"
 * (the index only when n > 1). */
static int check_value(const ctx *x, const ent *e, const char *meaning, const char *name,
                       int i, int n, double v, int share)
{
    if (isfinite(v) && (!share || (v >= 0.0 && v <= 1.0)))
        return 0;
    char var[160], idx[16] = "";
    if (n > 1)
        snprintf(idx, sizeof idx, "[%d]", i);
    snprintf(var, sizeof var, "%s%s%s%s", meaning, *meaning ? " " : "", name, idx);
    if (!isfinite(v))
        return report(x, e, "%s = %g is not a finite number", var, v);
    return report(x, e, "%s = %.17g is outside [0, 1]", var, v);
}

/* A contract's v2 record (MODEL.md 3.2, 4.3): finite, its quality gain
 * from challenge within +-market.challenge_bound and from effort within
 * [0, delivery.effort_gain], its plan, reported demand and costs owed not
 * negative. */
static int check_contract_x(const ctx *x, const qm_sim *sim, const ent *e, const qm_contract *k)
{
    const qm_contract_x *v = &sim->conx[k - sim->con];
    double b = sim->p.market.challenge_bound, g = sim->p.delivery.effort_gain;
    const double eps = 1e-12;
    const char *bad = !isfinite(v->lift) || fabs(v->lift) > b + eps ? "challenge gain"
                    : !isfinite(v->effort) || v->effort < -eps || v->effort > g + eps ? "effort gain"
                    : !(v->plan >= 0.0) ? "plan"
                    : !(v->seen >= 0.0) ? "reported demand"
                    : !(v->owed >= 0.0) ? "provider costs owed"
                    : !(v->ref_price >= 0.0) ? "reference price"
                    : NULL;
    if (!bad)
        return 0;
    return report(x, e, "%s out of its range (challenge %.17g, effort %.17g, plan %.17g, "
                  "reported %.17g, owed %.17g, reference %.17g)", bad, v->lift, v->effort, v->plan,
                  v->seen, v->owed, v->ref_price);
}

/* Every field of a table in the struct at base. */
static int check_fields(const ctx *x, const ent *e, const void *base, const field *t, size_t nt)
{
    for (size_t j = 0; j < nt; j++) {
        const double *v = (const double *)((const char *)base + t[j].offset);
        for (int i = 0; i < t[j].n; i++)
            if (check_value(x, e, t[j].meaning, t[j].name, i, t[j].n, v[i], t[j].share))
                return 1;
    }
    return 0;
}

#define CHECK_TABLE(x, e, base, t) check_fields(x, e, base, t, sizeof t / sizeof *t)

static const char *partner_name(const qm_sim *sim, int partner, const char **kind)
{
    if (partner >= sim->max_providers && partner - sim->max_providers < sim->n_agencies) {
        *kind = "agency";
        return sim->agency[partner - sim->max_providers].name;
    }
    *kind = "provider";
    return partner >= 0 && partner < sim->max_providers ? sim->prov[partner].name : "?";
}

/* Relationships: evidence finite and non-negative, trust in [0, 1]
 * (MODEL.md 4.1). */
static int check_relationships(const ctx *x, const qm_sim *sim, const qm_commissioner *cm,
                               const ent *e)
{
    static const char *const evn[4] = {"alpha", "beta", "a0", "b0"};
    for (int i = 0; i < cm->n_rel; i++) {
        const qm_rel *r = &cm->rel[i];
        double ev[4] = {r->alpha, r->beta, r->a0, r->b0}, T = qm_state_rel_mean(r);
        if (cm->rel_id[i] != r->provider)
            return report(x, e, "relationship slot %d indexes partner %d but holds %d", i,
                          (int)cm->rel_id[i], (int)r->provider);
        int bad = !(T >= 0.0 && T <= 1.0);
        for (int k = 0; k < 4; k++)
            bad |= !(isfinite(ev[k]) && ev[k] >= 0.0);
        if (!bad)
            continue;
        const char *kind;
        const char *pn = partner_name(sim, r->provider, &kind);
        for (int k = 0; k < 4; k++)
            if (!(isfinite(ev[k]) && ev[k] >= 0.0))
                return report(x, e, "trust evidence %s about %s '%s' = %g is not a finite "
                              "non-negative number", evn[k], kind, pn, ev[k]);
        return report(x, e, "trust in %s '%s' = %.17g is outside [0, 1]", kind, pn, T);
    }
    return 0;
}

static int check_commissioners(const ctx *x, const qm_sim *sim)
{
    int S = sim->n_services;
    for (int c = 0; c < sim->n_commissioners; c++) {
        const qm_commissioner *cm = &sim->comm[c];
        ent e = {"commissioner", cm->name, NULL, NULL};
        if (CHECK_TABLE(x, &e, cm, comm_fields) || CHECK_TABLE(x, &e, &cm->t, tally_fields)
            || check_relationships(x, sim, cm, &e))
            return 1;
        e.sub = "contract for";
        for (int s = 0; s < S; s++) {
            const qm_contract *k = &sim->con[(size_t)c * S + s];
            e.sub_name = sim->sc->services[s].name;
            if (CHECK_TABLE(x, &e, k, contract_fields) || check_contract_x(x, sim, &e, k))
                return 1;
            const qm_ranked_bid *B = QM_BIDS(sim, c, s);
            for (int b = 0; b < k->n_bids && b < sim->bid_slots; b++)
                if (check_value(x, &e, "bid", "price", b, 2, B[b].price, 0)
                    || check_value(x, &e, "bid", "qhat", b, 2, B[b].qhat, 0))
                    return 1;
        }
        e.sub = "engagement of agency";
        for (int i = 0; i < cm->n_eng; i++) {
            const qm_engagement *g = &cm->eng[i];
            if (!g->active)
                continue;
            e.sub_name = g->agency >= 0 && g->agency < sim->n_agencies
                ? sim->agency[g->agency].name : NULL;
            if (CHECK_TABLE(x, &e, g, engagement_fields))
                return 1;
        }
        e.sub = "development of";
        for (int i = 0; i < cm->n_dev; i++) {
            const qm_development *d = &cm->dev[i];
            if (!d->active)
                continue;
            e.sub_name = d->service >= 0 && d->service < S ? sim->sc->services[d->service].name
                                                           : NULL;
            if (CHECK_TABLE(x, &e, d, development_fields))
                return 1;
        }
    }
    return 0;
}

/* The service's list holds provider p at its place when p offers the
 * service, with p's room exactly as the provider-service arrays give it:
 * walks read the list's copy (step.c walk_can_take). */
static int check_listing(const ctx *x, const qm_sim *sim, const ent *e, int p, int s)
{
    size_t ps = (size_t)p * sim->n_services + s, base = (size_t)s * sim->max_providers;
    int i = sim->ps_place[ps];
    if (!sim->offers[ps])
        return i == -1 ? 0 : report(x, e, "does not offer the service but has place %d in its list", i);
    if (i < 0 || i >= sim->svc_n[s] || sim->svc_prov[base + i] != p)
        return report(x, e, "offers the service but is not at its place %d in the list", i);
    double room = sim->prov[p].active ? sim->capacity[ps] - sim->held[ps] : -HUGE_VAL;
    if (sim->svc_room[base + i] != room)
        return report(x, e, "the list gives room %.17g but capacity less held volume is %.17g",
                      sim->svc_room[base + i], room);
    return 0;
}

static int check_providers(const ctx *x, const qm_sim *sim)
{
    int S = sim->n_services;
    for (int p = 0; p < sim->n_providers; p++) {
        const qm_provider *pr = &sim->prov[p];
        ent e = {"provider", pr->name, NULL, NULL};
        if (CHECK_TABLE(x, &e, pr, provider_fields))
            return 1;
        e.sub = "service";
        for (int s = 0; s < S; s++) {
            size_t ps = (size_t)p * S + s;
            e.sub_name = sim->sc->services[s].name;
            if (check_value(x, &e, "", "capacity", 0, 1, sim->capacity[ps], 0)
                || check_value(x, &e, "", "unit_cost", 0, 1, sim->unit_cost[ps], 0)
                || check_value(x, &e, "", "quality", 0, 1, sim->quality[ps], 1)
                || check_value(x, &e, "", "quality0", 0, 1, sim->quality0[ps], 1)
                || check_value(x, &e, "", "held", 0, 1, sim->held[ps], 0)
                || check_value(x, &e, "", "demand", 0, 1, sim->ps_demand[ps], 0)
                || check_listing(x, sim, &e, p, s))
                return 1;
        }
    }
    return 0;
}

static int check_agencies(const ctx *x, const qm_sim *sim)
{
    for (int a = 0; a < sim->n_agencies; a++) {
        const qm_agency *ag = &sim->agency[a];
        ent e = {"agency", ag->name, NULL, NULL};
        if (CHECK_TABLE(x, &e, ag, agency_fields))
            return 1;
        for (int i = 0; ag->revenue_ring && i < sim->p.engage.csu_window; i++)
            if (check_value(x, &e, "", "revenue_ring", i, 2, ag->revenue_ring[i], 0))
                return 1;
    }
    for (int s = 0; s < sim->n_services; s++) {
        ent e = {"service", sim->sc->services[s].name, NULL, NULL};
        if (check_value(x, &e, "", "demand_factor", 0, 1, sim->demand_factor[s], 0))
            return 1;
    }
    return 0;
}

static int differ(double a, double b)
{
    return fabs(a - b) > 1e-9 * (1.0 + fabs(a) + fabs(b));
}

/* Money paid equals money received (MODEL.md 3.2), by commissioners to
 * providers and to agencies. */
static int check_money(const ctx *x, const qm_sim *sim)
{
    double paid = 0.0, received = 0.0, fees = 0.0, revenue = 0.0;
    for (int c = 0; c < sim->n_commissioners; c++) {
        paid += sim->comm[c].t.spend;
        fees += sim->comm[c].t.fees;
    }
    for (int p = 0; p < sim->n_providers; p++)
        received += sim->prov[p].revenue;
    for (int a = 0; a < sim->n_agencies; a++)
        revenue += sim->agency[a].revenue;
    ent e = {"money", NULL, NULL, NULL};
    if (differ(paid, received))
        return report(x, &e, "commissioners paid providers %.17g GBP but providers "
                      "received %.17g GBP", paid, received);
    if (differ(fees, revenue))
        return report(x, &e, "commissioners paid agencies %.17g GBP in fees but agencies "
                      "received %.17g GBP", fees, revenue);
    return 0;
}

/* Every value of the frame is finite, and its money adds up. */
static int check_frame(const ctx *x, const qm_sim *sim, const qm_frame *f)
{
    ent e = {"series", NULL, NULL, NULL};
    for (int i = 0; i < QM_S_N; i++)
        if (check_value(x, &e, "", qm_series_defs[i].name, 0, 1, f->series[i], 0))
            return 1;
    int C = f->n_commissioners, P = f->n_providers, A = f->n_agencies;
    e.kind = "commissioner";
    for (int v = 0; f->cpanel && v < QM_CP_N; v++)
        for (int c = 0; c < C; c++) {
            e.name = c < sim->max_commissioners ? sim->comm[c].name : "?";
            if (check_value(x, &e, "panel variable", qm_cpanel_defs[v].name, 0, 1,
                            f->cpanel[(size_t)v * C + c], 0))
                return 1;
        }
    e.kind = "provider";
    for (int v = 0; f->ppanel && v < QM_PP_N; v++)
        for (int p = 0; p < P; p++) {
            e.name = p < sim->max_providers ? sim->prov[p].name : "?";
            if (check_value(x, &e, "panel variable", qm_ppanel_defs[v].name, 0, 1,
                            f->ppanel[(size_t)v * P + p], 0))
                return 1;
        }
    e.kind = "agency";
    for (int v = 0; f->apanel && v < QM_AP_N; v++)
        for (int a = 0; a < A; a++) {
            e.name = a < sim->n_agencies ? sim->agency[a].name : "?";
            if (check_value(x, &e, "panel variable", qm_apanel_defs[v].name, 0, 1,
                            f->apanel[(size_t)v * A + a], 0))
                return 1;
        }
    e = (ent){"series", NULL, NULL, NULL};
    if (f->ppanel) {
        double received = 0.0;
        for (int p = 0; p < P; p++)
            received += f->ppanel[(size_t)QM_PP_REVENUE * P + p];
        if (differ(f->series[QM_S_SPEND], received))
            return report(x, &e, "spend = %.17g GBP but the providers' revenue adds up to "
                          "%.17g GBP", f->series[QM_S_SPEND], received);
    }
    if (differ(f->series[QM_S_AGENCY_FEES], f->series[QM_S_AGENCY_REVENUE]))
        return report(x, &e, "agency_fees = %.17g GBP but agency_revenue = %.17g GBP",
                      f->series[QM_S_AGENCY_FEES], f->series[QM_S_AGENCY_REVENUE]);
    return 0;
}

/* See check.h. */
int qm_check_state(const qm_sim *sim, const qm_frame *f, char *msg, size_t n)
{
    ctx x = {msg, n, f ? f->month : sim->month - 1};
    if (msg && n > 0)
        msg[0] = '\0';
    return check_commissioners(&x, sim) || check_providers(&x, sim) || check_agencies(&x, sim)
        || check_money(&x, sim) || (f && check_frame(&x, sim, f));
}
