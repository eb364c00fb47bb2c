/* market.c: how providers change (MODEL.md 4.3, provider drift, entry and
 * exit). */
#include "model/market.h"

double qm_market_drift(const qm_params *p, double q, double q0, double challenge,
                       int too_close, double z)
{
    double dq = p->market.drift_challenge * challenge
              - (too_close ? p->market.drift_close : 0.0)
              + p->market.reversion * (q0 - q)
              + p->market.drift_sd * z;
    q += dq;
    return q < 0.0 ? 0.0 : q > 1.0 ? 1.0 : q;
}

int qm_market_exits(const qm_params *p, int kind, int loss_months)
{
    if (kind != QM_PK_INDEPENDENT && kind != QM_PK_VOLUNTARY)
        return 0;
    return loss_months >= p->market.exit_loss_months;
}

double qm_market_entry_prob(const qm_params *p, double tender_share, double margin)
{
    double m = margin > 0.0 ? margin / p->market.entry_margin_scale : 0.0;
    if (m > 1.0)
        m = 1.0;
    double prob = p->market.entry_rate * tender_share * m;
    return prob < 0.0 ? 0.0 : prob > 1.0 ? 1.0 : prob;
}

double qm_market_hhi_sums(double sum, double sumsq)
{
    return sum > 0.0 ? sumsq / (sum * sum) : 0.0;
}

double qm_market_hhi(const double *v, int n, int stride)
{
    double sum = 0.0, sumsq = 0.0;
    for (int i = 0; i < n; i++) {
        double x = v[(long)i * stride];
        sum += x;
        sumsq += x * x;
    }
    return qm_market_hhi_sums(sum, sumsq);
}
