/* walk.c: the position-ordered lists of providers and agencies and the
 * walks over them from nearest to farthest (MODEL.md 2). */
#include "core/walk.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/state.h"

typedef struct {
    double pos;
    int id;
} placed;

static int by_place(const void *a, const void *b)
{
    const placed *x = a, *y = b;
    if (x->pos != y->pos)
        return x->pos < y->pos ? -1 : 1;
    return (x->id > y->id) - (x->id < y->id);
}

/* Agencies in position order (insertion sort: ties by id). */
static void order_agencies(qm_sim *sim)
{
    for (int i = 0; i < sim->n_agencies; i++) {
        int j = i;
        while (j > 0 && sim->agency[sim->agency_order[j - 1]].position > sim->agency[i].position) {
            sim->agency_order[j] = sim->agency_order[j - 1];
            j--;
        }
        sim->agency_order[j] = i;
    }
    for (int j = 0; j < sim->n_agencies; j++)
        sim->agency_pos[j] = sim->agency[sim->agency_order[j]].position;
}

/* The initial providers of each service are sorted, not inserted one by
 * one: insertion costs the square of their number. */
int qm_walk_build(qm_sim *sim)
{
    int S = sim->n_services;
    order_agencies(sim);
    placed *tmp = malloc(((size_t)sim->n_providers + 1) * sizeof *tmp);
    if (!tmp)
        return -1;
    for (size_t ps = 0; ps < (size_t)sim->max_providers * S; ps++)
        sim->ps_place[ps] = -1;
    for (int s = 0; s < S; s++) {
        int n = 0;
        for (int q = 0; q < sim->n_providers; q++)
            if (sim->offers[QM_PS(sim, q, s)])
                tmp[n++] = (placed){sim->prov[q].position, q};
        qsort(tmp, (size_t)n, sizeof *tmp, by_place);
        int *l = sim->svc_prov + (size_t)s * sim->max_providers;
        double *at = sim->svc_pos + (size_t)s * sim->max_providers;
        for (int i = 0; i < n; i++) {
            l[i] = tmp[i].id, at[i] = tmp[i].pos;
            sim->ps_place[QM_PS(sim, tmp[i].id, s)] = i;
        }
        sim->svc_n[s] = n;
    }
    free(tmp);
    return 0;
}

void qm_walk_add(qm_sim *sim, int s, int p)
{
    int *l = sim->svc_prov + (size_t)s * sim->max_providers;
    double *at = sim->svc_pos + (size_t)s * sim->max_providers;
    int n = sim->svc_n[s]++, lo = 0, hi = n;
    double x = sim->prov[p].position;
    /* The list stays in position order, ties by id: a binary search for
     * the place, one move for the tail. */
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (at[mid] < x || (at[mid] == x && l[mid] < p))
            lo = mid + 1;
        else
            hi = mid;
    }
    double *room = sim->svc_room + (size_t)s * sim->max_providers;
    memmove(l + lo + 1, l + lo, (size_t)(n - lo) * sizeof *l);
    memmove(at + lo + 1, at + lo, (size_t)(n - lo) * sizeof *at);
    memmove(room + lo + 1, room + lo, (size_t)(n - lo) * sizeof *room);
    for (int i = lo + 1; i <= n; i++)
        sim->ps_place[QM_PS(sim, l[i], s)] = i;
    l[lo] = p;
    at[lo] = x;
    sim->ps_place[QM_PS(sim, p, s)] = lo;
    qm_walk_refresh(sim, p, s);
}

void qm_walk_refresh(qm_sim *sim, int p, int s)
{
    size_t ps = QM_PS(sim, p, s);
    int i = sim->ps_place[ps];
    if (i >= 0)
        sim->svc_room[(size_t)s * sim->max_providers + i] =
            sim->prov[p].active ? sim->capacity[ps] - sim->held[ps] : -HUGE_VAL;
}

/* Positions the walk at the first entity at or after pos. */
static void walk_seek(qm_walk *w)
{
    int lo = 0, hi = w->n;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (w->at[mid] < w->pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    w->right = lo;
    w->left = lo - 1;
    w->taken = 0;
}

void qm_walk_start(const qm_sim *sim, qm_walk *w, int s, double pos)
{
    w->list = sim->svc_prov + (size_t)s * sim->max_providers;
    w->at = sim->svc_pos + (size_t)s * sim->max_providers;
    w->room = sim->svc_room + (size_t)s * sim->max_providers;
    w->n = sim->svc_n[s];
    w->pos = pos;
    w->limit = sim->p.market.reach < w->n ? sim->p.market.reach : w->n;
    walk_seek(w);
}

void qm_walk_agencies(const qm_sim *sim, qm_walk *w, double pos)
{
    w->list = sim->agency_order;
    w->at = sim->agency_pos;
    w->room = NULL;
    w->n = sim->n_agencies;
    w->pos = pos;
    w->limit = sim->p.engage.reach < w->n ? sim->p.engage.reach : w->n;
    walk_seek(w);
}

int qm_walk_next(qm_walk *w)
{
    if (w->taken >= w->limit || w->n == 0)
        return -1;
    /* Indices wrap round the circle; each provider is taken once. */
    int li = ((w->left % w->n) + w->n) % w->n, ri = w->right % w->n;
    int a = w->list[li], b = w->list[ri];
    double da = qm_walk_distance(w->pos, w->at[li]);
    double db = qm_walk_distance(w->pos, w->at[ri]);
    w->taken++;
    if (db < da || (db == da && b <= a)) {
        w->right++;
        w->last = ri;
        return b;
    }
    w->left--;
    w->last = li;
    return a;
}
