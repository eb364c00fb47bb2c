/* knowledge.c: decay, turnover and relational learning (MODEL.md 4.4). */
#include "model/knowledge.h"

double qm_knowledge_decay(const qm_params *p, double K, int used)
{
    double d = used ? p->knowledge.decay_used : p->knowledge.decay_idle;
    K *= 1.0 - d;
    /* Turnover replaces leavers with hires rather than with nobody: the
     * stock moves toward what the labour market supplies (docs/ODD.md). */
    K += p->knowledge.staff_turnover * (p->knowledge.hire_level - K);
    return K < 0.0 ? 0.0 : K > 1.0 ? 1.0 : K;
}

double qm_knowledge_interpersonal(const qm_params *p, double X, double T, double w)
{
    return X + p->knowledge.eta_relationship * T * w * (1.0 - X);
}
