/* decide.c: renew, renegotiate, tender or decommission (MODEL.md 4.3). */
#include "model/decide.h"

#include <math.h>

static double pos(double x)
{
    return x > 0.0 ? x : 0.0;
}

void qm_decide_utilities(const qm_params *p, const qm_decision_in *in,
                         double V[QM_DEC_N], int avail[QM_DEC_N])
{
    double gap = pos(in->gap);
    double cap = in->free_capacity > p->decision.capacity_floor ? in->free_capacity : p->decision.capacity_floor;
    double ten = in->tenure / p->decision.tenure_scale;

    V[QM_DEC_RENEW] = p->decision.b_trust * in->trust + p->decision.b_tenure * (ten < 1.0 ? ten : 1.0) - p->decision.b_gap * gap;
    V[QM_DEC_RENEGOTIATE] = p->decision.b_reneg0 + p->decision.b_reneg_gap * gap - p->decision.b_tc * p->cost.renegotiation / cap;
    V[QM_DEC_TENDER] = p->decision.b_tender0 + p->decision.b_market * in->market + p->decision.b_policy * in->pressure +
                       p->decision.b_gap * gap + p->decision.b_alt * log1p(in->n_alt) -
                       p->decision.b_tc * p->cost.tender / cap - p->decision.b_risk * in->risk * in->share -
                       p->decision.b_parcel * (1.0 - in->parcel) - p->decision.b_trust * in->trust;
    /* MODEL.md 4.3 gives no utility for decommissioning: when a completed
     * development replaces the service it is the natural course, so it
     * takes the renewal utility it replaces. */
    V[QM_DEC_DECOMMISSION] = V[QM_DEC_RENEW];
    avail[QM_DEC_RENEW] = avail[QM_DEC_RENEGOTIATE] = avail[QM_DEC_TENDER] = 1;
    avail[QM_DEC_DECOMMISSION] = in->can_decommission != 0;
}

void qm_decide_probs(const double V[QM_DEC_N], const int avail[QM_DEC_N], double prob[QM_DEC_N])
{
    double vmax = -HUGE_VAL, sum = 0.0;
    for (int i = 0; i < QM_DEC_N; i++)
        if (avail[i] && V[i] > vmax)
            vmax = V[i];
    for (int i = 0; i < QM_DEC_N; i++) {
        prob[i] = avail[i] ? exp(V[i] - vmax) : 0.0;
        sum += prob[i];
    }
    for (int i = 0; i < QM_DEC_N; i++)
        prob[i] /= sum;
}

int qm_decide_pick(const double prob[QM_DEC_N], double u)
{
    double acc = 0.0;
    int last = 0;
    for (int i = 0; i < QM_DEC_N; i++) {
        if (prob[i] <= 0.0)
            continue;
        last = i;
        acc += prob[i];
        if (u < acc)
            return i;
    }
    return last;
}
