/* team.c: see team.h. */
#include "core/team.h"

void qm_team_for(int n, int threads, qm_team_body body, void *ctx)
{
    if (threads <= 1) {
        for (int i = 0; i < n; i++)
            body(ctx, i, n);
        return;
    }
#pragma omp parallel for schedule(static) num_threads(threads)
    for (int i = 0; i < n; i++)
        body(ctx, i, n);
}
