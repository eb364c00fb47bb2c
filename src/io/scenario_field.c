/* scenario_field.c: reading any field of the registry (params.c) from a
 * scenario setting by its type: a number, an integer, a boolean, a name
 * from a list, a string or a distribution (scenario_dist.c); and freeing
 * what a group's fields own. */
#include <stdlib.h>
#include <string.h>

#include "io/scenario_read.h"

/* Reads one registry field of the struct at base from set.  Returns 0, or
 * -1 after reporting (the field keeps its default). */
int qm_field_read(rd *r, const qm_param_def *d, const config_setting_t *set, void *base,
                  const char *label, int count)
{
    void *f = (char *)base + d->offset;
    switch (d->type) {
    case QM_T_DOUBLE:
        return qm_value_real_in(r, set, label, d->min, d->max, f);
    case QM_T_INT: {
        long long v;
        if (qm_value_int_in(r, set, label, (long long)d->min, (long long)d->max, &v))
            return -1;
        *(int *)f = (int)v;
        return 0;
    }
    case QM_T_BOOL:
        if (config_setting_type(set) != CONFIG_TYPE_BOOL) {
            qm_diag_at(r, set, "%s: expected true or false, got %s", label, qm_diag_type(set));
            return -1;
        }
        *(int *)f = config_setting_get_bool(set) != 0;
        return 0;
    case QM_T_ENUM:
        return qm_value_enum(r, set, label, d->names, f);
    case QM_T_STRING:
        /* The table's max is one less than the field's size. */
        return qm_value_text(r, set, label, (size_t)d->min, (size_t)d->max, f);
    case QM_T_DIST:
        return qm_dist_read(r, d, set, label, count, f);
    }
    return -1;
}

/* Frees what a group read with table owns: its list distributions and
 * its arrays (names, and a provider group's services; either may be NULL). */
void qm_field_free_group(const qm_param_def *table, void *base, void *names, void *services)
{
    for (const qm_param_def *d = table; d->path; d++)
        if (d->type == QM_T_DIST) {
            qm_dist *q = (qm_dist *)((char *)base + d->offset);
            free(q->values);
            q->values = NULL;
            q->n = 0;
        }
    free(names);
    free(services);
}
