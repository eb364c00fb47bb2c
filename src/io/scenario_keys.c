/* scenario_keys.c: which keys a scenario has beside the registry (the
 * top-level scalars, distribution keys, structural keys of the groups), and
 * the reports of a key that is none of them, with the nearest valid key. */
#include <stdint.h>
#include <string.h>

#include "io/scenario_read.h"
#include "qmsim/rng.h"

/* ---- Top-level scalar keys: a local table in the registry's format. ---- */

#define T(field) offsetof(qm_scenario, field)
const qm_param_def qm_keys_top[] = {
    {"name", QM_T_STRING, T(name), 0, 1, QM_NAME_MAX - 1, "-", "Scenario name (required); written to every output.", NULL, 0},
    {"description", QM_T_STRING, T(description), 0, 0, 511, "-", "Free text describing the scenario.", NULL, 0},
    /* The seed is a uint64_t, read with its own code (see read_seed). */
    {"seed", QM_T_INT, T(seed), 1, 0, 9223372036854775807.0, "-", "Master random seed. Values above 2147483647 need an L suffix (12345678901L).", NULL, 0},
    {"months", QM_T_INT, T(months), 120, 1, 6000, "months", "Length of the run.", NULL, 0},
    {"start_month", QM_T_INT, T(start_month), 4, 1, 12, "-", "Calendar month of month 0 (4 = April, the start of the NHS financial year).", NULL, 0},
    {"neighbours", QM_T_ENUM, T(neighbours), QM_NB_RING, 0, 0, "-", "Neighbourhood of commissioners for copying: a ring in list order, or none.", qm_neighbour_names, 0},
    {"generator", QM_T_ENUM, T(generator), QM_RNG_XOSHIRO, 0, 0, "-", "Random number generator of every stream: xoshiro256pp (xoshiro256++, period 2^256-1, 32-byte state, fastest; seeded with all 64 bits of the stream's seed), cmrg (L'Ecuyer's combined MRG, period 2^185, 48-byte state), mt19937 (Mersenne Twister, 5 KB state) or taus2 (Tausworthe). A different generator gives different draws, so a check that results do not depend on it.", qm_rng_names, 0},
    {NULL, 0, 0, 0, 0, 0, NULL, NULL, NULL, 0}};
#undef T

/* Keys of a distribution group by kind (indexed by qm_dist_kind). */
const char *const qm_keys_dist[QM_DIST_N][2] = {
    {"value", NULL}, {"min", "max"}, {"mean", "sd"}, {"mean", "sd"}, {"a", "b"}, {"values", NULL}};

/* Structural keys of the groups, beside their field tables: a commissioner
 * or agency group's, and a provider group's. */
const char *const qm_keys_names_extra[] = {"names", NULL};
const char *const qm_keys_pgroup_extra[] = {"names", "services", NULL};
const char *const qm_keys_lists[] = {"services", "commissioners", "providers", "entrant",
                                        "agencies", "timeline", NULL};

/* Provider-group fields the entrant template cannot set (nor its
 * pgroup_extra keys): the file, --set, the resolved text and the reference
 * all leave them out. */
const char *const qm_keys_entrant_fixed[] = {"kind", "count", NULL};
size_t qm_keys_group_len(const char *path)
{
    const char *dot = strchr(path, '.');
    return dot ? (size_t)(dot - path) : strlen(path);
}

/* Whether registry entry d, of qm_param_table, is the first of its group
 * (the table keeps each group's entries together). */
int qm_keys_opens_group(const qm_param_def *d)
{
    size_t gl = qm_keys_group_len(d->path);
    return d == qm_param_table || qm_keys_group_len(d[-1].path) != gl ||
           strncmp(d[-1].path, d->path, gl) != 0;
}
/* ---- Unknown keys. ---- */

/* The keys valid in a group (table entries plus extra, minus excl): joined
 * into valid (n bytes), for listing, and the nearest to key into g, for
 * suggesting. */
void qm_keys_valid(qm_suggest *g, char *valid, size_t n, const char *key,
                   const qm_param_def *table, const char *const *extra,
                   const char *const *excl)
{
    qm_suggest_init(g, key, strlen(key));
    for (const qm_param_def *d = table; d && d->path; d++) {
        if (excl && qm_params_enum_index(excl, d->path) >= 0)
            continue;
        qm_suggest_try(g, d->path, strlen(d->path));
        qm_diag_join(valid, n, d->path, strlen(d->path));
    }
    qm_suggest_names(g, extra, -1);
    qm_diag_join_names(valid, n, extra);
}

/* Reports key (shown as ctx.key) as unknown, suggesting the nearest of the
 * keys valid there, or listing them. */
void qm_keys_unknown_field(rd *r, const config_setting_t *set, const char *ctx, const char *key,
                           const qm_param_def *table, const char *const *extra,
                           const char *const *excl)
{
    char valid[QM_ERR_LEN / 2] = "";
    qm_suggest g;
    qm_keys_valid(&g, valid, sizeof valid, key, table, extra, excl);
    if (g.best)
        qm_diag_at(r, set, "unknown key '%s.%s' (did you mean '%s.%.*s'?)", ctx, key, ctx,
                   (int)g.bestl, g.best);
    else
        qm_diag_at(r, set, "unknown key '%s.%s' (valid keys are: %s)", ctx, key, valid);
}

/* An unknown key in a parameter group (path "group.key") or at the top
 * (path "key").  Candidates are full registry paths, so a key put in the
 * wrong group is found too. */
void qm_keys_unknown_param(rd *r, const config_setting_t *set, const char *path, const char *group)
{
    const char *leaf = strrchr(path, '.');
    leaf = leaf ? leaf + 1 : path;
    char valid[QM_ERR_LEN / 2] = "";
    qm_suggest g;
    qm_suggest_init(&g, path, strlen(leaf));
    if (group) {
        size_t gl = strlen(group);
        for (const qm_param_def *d = qm_param_table; d->path; d++) {
            qm_suggest_try(&g, d->path, strlen(d->path));
            if (qm_keys_group_len(d->path) == gl && strncmp(d->path, group, gl) == 0)
                qm_diag_join(valid, sizeof valid, d->path + gl + 1, strlen(d->path + gl + 1));
        }
    } else {
        for (const qm_param_def *d = qm_keys_top; d->path; d++) {
            qm_suggest_try(&g, d->path, strlen(d->path));
            qm_diag_join(valid, sizeof valid, d->path, strlen(d->path));
        }
        for (const qm_param_def *d = qm_param_table; d->path; d++)
            if (qm_keys_opens_group(d)) {
                qm_suggest_try(&g, d->path, qm_keys_group_len(d->path));
                qm_diag_join(valid, sizeof valid, d->path, qm_keys_group_len(d->path));
            }
        qm_suggest_names(&g, qm_keys_lists, -1);
        qm_diag_join_names(valid, sizeof valid, qm_keys_lists);
    }
    /* Nothing close: perhaps the key exists in another group. */
    for (const qm_param_def *d = qm_param_table; !g.best && d->path; d++)
        if (strcmp(d->path + qm_keys_group_len(d->path) + 1, leaf) == 0) {
            g.best = d->path;
            g.bestl = strlen(d->path);
        }
    if (g.best)
        qm_diag_at(r, set, "unknown key '%s' (did you mean '%.*s'?)", path, (int)g.bestl, g.best);
    else if (group)
        qm_diag_at(r, set, "unknown key '%s' (valid keys in %s are: %s)", path, group, valid);
    else
        qm_diag_at(r, set, "unknown key '%s' (valid keys are: %s)", path, valid);
}
