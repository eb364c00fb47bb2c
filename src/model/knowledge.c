/* knowledge.c: MODEL.md 4.4, knowledge stocks: decay when used and when
 * idle, staff turnover, relational learning, and the effective analytic
 * capability and dependency index that borrowed capability gives. */
#include "model/knowledge.h"

#include "core/num.h"
#include "model/conduit.h"
#include "model/monitor.h"

double qm_knowledge_decay(const qm_params *p, double K, int used)
{
    return qm_knowledge_decay_share(p, K, used ? 0.0 : 1.0);
}

double qm_knowledge_decay_share(const qm_params *p, double K, double idle)
{
    double d = idle * p->knowledge.decay_idle + (1.0 - idle) * p->knowledge.decay_used;
    K *= 1.0 - d;
    /* Turnover replaces leavers with hires rather than with nobody: the
     * stock moves toward what the labour market supplies (docs/ODD.md). */
    K += p->knowledge.staff_turnover * (p->knowledge.hire_level - K);
    return qm_num_clamp01(K);
}

double qm_knowledge_interpersonal(const qm_params *p, double X, double T, double w)
{
    return X + p->knowledge.eta_relationship * T * w * (1.0 - X);
}

void qm_knowledge_update(qm_sim *sim, int c)
{
    const qm_params *P = &sim->p;
    qm_commissioner *cm = &sim->comm[c];
    double lent = cm->borrowed;
    /* MODEL.md 4.4 (v2), P6 deskilling: in-house analysts idle in
     * proportion to the share of the analytic work outside staff do, so
     * knowledge moves smoothly with how much is outsourced (and worse
     * consultants, who lend less, do not make in-house staff busier). */
    cm->A = qm_knowledge_decay_share(P, cm->A, cm->used_A ? cm->outsourced : 1.0);
    cm->X = qm_knowledge_decay(P, cm->X, cm->n_rel > 0);
    cm->R = qm_knowledge_decay(P, cm->R, cm->used_R);
    double td = cm->used_A ? P->knowledge.tool_decay_used : P->knowledge.tool_decay_idle;
    cm->tool *= 1.0 - td;
    cm->used_R = 0;
    /* MODEL.md 4.4: A_eff = max(A_c, coverage S_a F_a): borrowed, not owned. */
    double eff = cm->A;
    if (lent > eff)
        eff = lent;
    if (cm->tool > eff)
        eff = cm->tool;
    cm->A_eff = eff > 1.0 ? 1.0 : eff;
    cm->dependency = qm_conduit_dependency(cm->A, cm->A_eff);
    /* MODEL.md 6 (v2): after a reorganisation only the share of data
     * flows rebuilt so far feeds information quality. */
    double data = cm->data * qm_monitor_data_flow_of(sim, c) *
                  (1.0 - P->knowledge.ig_effect * P->policy.ig_strictness);
    double info = qm_monitor_info(P, data, cm->A_eff);
    cm->info = qm_num_clamp01(info);
}
