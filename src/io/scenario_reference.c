/* scenario_reference.c: the Markdown reference of every scenario key
 * (docs/scenarios.md), written from the registry and the reader's tables. */
#include <stdio.h>
#include <string.h>

#include "io/scenario_read.h"

/* The row of an entity group's names key. */
static void md_names_row(FILE *f)
{
    fprintf(f, "| `names` | array of strings | generated | exactly `count` entries, "
            "each 1 to %d characters, at most %d | | Explicit names, in order. |\n",
            QM_NAME_MAX - 1, QM_LIST_MAX);
}

static void md_text(FILE *f, const char *t)
{
    for (; t && *t; t++) {
        if (*t == '|')
            fputc('\\', f);
        fputc(*t == '\n' ? ' ' : *t, f);
    }
}

static void md_type(FILE *f, const qm_param_def *d)
{
    switch (d->type) {
    case QM_T_DOUBLE: fputs("real", f); break;
    case QM_T_INT: fputs("integer", f); break;
    case QM_T_BOOL: fputs("boolean", f); break;
    case QM_T_ENUM:
        fputs("one of ", f);
        for (int i = 0; d->names[i]; i++)
            fprintf(f, "%s`%s`", i ? ", " : "", d->names[i]);
        break;
    case QM_T_STRING: fputs("string", f); break;
    case QM_T_DIST: fputs("distribution", f); break;
    }
}

/* A string field's default is the caller's to say (see md_cells). */
static void md_default(FILE *f, const qm_param_def *d)
{
    switch (d->type) {
    case QM_T_DOUBLE:
    case QM_T_DIST: fputs(qm_diag_num(d->def).s, f); break;
    case QM_T_INT: fprintf(f, "%.0f", d->def); break;
    case QM_T_BOOL: fputs(d->def != 0 ? "true" : "false", f); break;
    case QM_T_ENUM: fprintf(f, "`%s`", d->names[(int)d->def]); break;
    case QM_T_STRING: break;
    }
}

static void md_range(FILE *f, const qm_param_def *d)
{
    switch (d->type) {
    case QM_T_DOUBLE:
    case QM_T_DIST: fprintf(f, "[%s, %s]", qm_diag_num(d->min).s, qm_diag_num(d->max).s); break;
    case QM_T_INT:
        if (d->max > 9e18)
            fprintf(f, "%.0f to 2^63 - 1", d->min);   /* the seed */
        else
            fprintf(f, "%.0f to %.0f", d->min, d->max);
        break;
    case QM_T_STRING: fprintf(f, "%.0f to %.0f characters", d->min, d->max); break;
    default: break;
    }
}

/* What a row says in place of its registry entry's own type, default and
 * range (NULL: the entry's), and its "applies to" column (NULL: the table
 * has none; only the timeline's has). */
typedef struct md_cells {
    const char *type, *def, *range, *applies;
} md_cells;

/* One cell: text if given, else what own makes of d (own may be NULL when
 * text is always given). */
static void md_cell(FILE *f, const char *text, void (*own)(FILE *, const qm_param_def *),
                    const qm_param_def *d)
{
    if (text)
        md_text(f, text);
    else
        own(f, d);
    fputs(" | ", f);
}

static void md_row_as(FILE *f, const qm_param_def *d, const char *key, const md_cells *c)
{
    fprintf(f, "| `%s` | ", key);
    md_cell(f, c->type, md_type, d);
    md_cell(f, c->def, md_default, d);
    md_cell(f, c->range, md_range, d);
    md_cell(f, d->unit && strcmp(d->unit, "-") ? d->unit : "", NULL, d);
    if (c->applies)
        md_cell(f, c->applies, NULL, d);
    md_text(f, d->doc);
    fputs(" |\n", f);
}

/* A row of a plain table; strdef is the default shown for a string. */
static void md_row(FILE *f, const qm_param_def *d, const char *key, const char *strdef)
{
    md_cells c = {NULL, d->type == QM_T_STRING ? strdef : NULL, NULL, NULL};
    md_row_as(f, d, key, &c);
}

static void md_head(FILE *f)
{
    fputs("| key | type | default | range | unit | meaning |\n"
          "|---|---|---|---|---|---|\n", f);
}

/* Writes a table of fields, leaving out the names in skip; strdef gives
 * the default shown for string fields. */
static void md_table(FILE *f, const qm_param_def *table, const char *const *skip,
                     const char *strdef)
{
    md_head(f);
    for (const qm_param_def *d = table; d->path; d++)
        if (!skip || qm_params_enum_index(skip, d->path) < 0)
            md_row(f, d, d->path, strdef);
}

/* What each event type does (MODEL.md 6), in qm_timeline_type order. */
static const char *const event_docs[] = {
    "commissioners lose a share `staff_loss` of their staff, who take with them that share "
    "of each relationship's evidence, of the providers' leads of developments and of the "
    "developments' owners (a development whose owner left loses `setback` of its current "
    "stage's work); the staff who stay lose `rupture` of their relationship evidence and "
    "every body loses `knowledge_loss` of its knowledge; data flows stop and are rebuilt "
    "evenly over `data_months` months (information quality and needs assessment run at the "
    "share rebuilt). Optionally commissioners merge in groups of `merge` (the lowest id "
    "absorbs the others: populations and staff add, knowledge is population-weighted, every "
    "contract is kept as a share of the merged body's demand, relationships keep the most "
    "evidence) or a share `split_share` of them split in two (largest populations first; "
    "each half keeps the contracts with half the volume and the knowledge, and the staff who "
    "move take half of each relationship's evidence with them). One event either merges or "
    "splits: `merge` > 1 with `split_share` > 0 is an error.",
    "a share `share` of each commissioner's analytic knowledge and analysts moves into its "
    "host CSU (the nearest CSU), which then serves it under an analytics engagement.",
    "sets the `policy.*` parameter `key` to `value` from that month on.",
    "a share `share` of commissioners (lowest ids first) must start a development of the "
    "service (or of every service when `service` is left out).",
    "every running engagement loses a share `clarity_loss` of its brief clarity.",
    "the service's demand (or every service's, when `service` is left out) is multiplied by "
    "`factor` from that month on.",
};
_Static_assert(sizeof event_docs / sizeof event_docs[0] == QM_TL_N,
               "one description per timeline event type");

/* The timeline's keys whose type, default or range the table cannot say. */
static const struct {
    const char *key, *type, *def, *range;
} event_key_docs[] = {
    {"month", NULL, "(required)", "0 to `months` - 1"},
    {"type", NULL, "(required)", NULL},
    {"service", NULL, "all services", "a service name"},
    {"key", NULL, "(required)", "a `policy.*` key"},
    {"value", "the key's type", "(required)", "the key's range"},
};

static void md_timeline(FILE *f)
{
    char applies[QM_ERR_LEN / 4];
    fprintf(f, "\n## Timeline events\n\n`timeline = ( { month = 36; type = "
            "\"reorganisation\"; ... }, ... );` (optional) lists events that change the run "
            "from a given month; at most %d. Each event needs `month`, which must be before "
            "`months`, and `type`. The other keys depend on the type (a key given to a type "
            "that does not take it is an error), and each key left out takes its default. "
            "Events are applied in order of month; events of the same month keep their order "
            "in the file. Timeline events cannot be changed with `--set`.\n\n", MAX_EVENTS);
    fputs("| key | type | default | range | unit | applies to | meaning |\n"
          "|---|---|---|---|---|---|---|\n", f);
    for (const qm_param_def *d = qm_timeline_fields; d->path; d++) {
        md_cells c = {NULL, NULL, NULL, "all"};
        for (size_t i = 0; i < sizeof event_key_docs / sizeof event_key_docs[0]; i++)
            if (strcmp(event_key_docs[i].key, d->path) == 0) {
                c.type = event_key_docs[i].type;
                c.def = event_key_docs[i].def;
                c.range = event_key_docs[i].range;
            }
        if (d->mask != ~0u) {
            qm_tl_mask_names(applies, sizeof applies, d->mask);
            c.applies = applies;
        }
        md_row_as(f, d, d->path, &c);
    }
    fputs("\nWhat each type does, and the keys it takes besides `month` and `type`:\n\n", f);
    for (int t = 0; t < QM_TL_N; t++) {
        int k = 0;
        fprintf(f, "* `%s`: ", qm_timeline_names[t]);
        md_text(f, event_docs[t]);
        fputs(" Keys: ", f);
        for (const qm_param_def *d = qm_timeline_fields; d->path; d++)
            if (d->mask != ~0u && (d->mask & (1u << t)))
                fprintf(f, "%s`%s`", k++ ? ", " : "", d->path);
        fputs(k ? ".\n" : "none.\n", f);
    }
    fputs("\nA `policy` event's `value` takes the type and range of the parameter its `key` "
          "names:\n\n| key | value |\n|---|---|\n", f);
    for (const qm_param_def *d = qm_param_table; d->path; d++) {
        if (!qm_tl_is_policy_path(d->path))
            continue;
        fprintf(f, "| `%s` | ", d->path);
        md_type(f, d);
        if (d->type == QM_T_DOUBLE || d->type == QM_T_INT) {
            fputs(" in ", f);
            md_range(f, d);
        }
        fputs(" |\n", f);
    }
}

/* Writes the Markdown reference of every scenario key to f (the generated
 * part of docs/scenarios.md).  Write errors are the caller's to check with
 * ferror(f). */
void qm_scenario_write_reference(FILE *f)
{
    if (!f)
        return;
    fputs("## Top-level keys\n\n", f);
    md_head(f);
    for (const qm_param_def *d = qm_keys_top; d->path; d++)
        md_row(f, d, d->path, d->offset == offsetof(qm_scenario, name) ? "(required)" : "\"\"");
    fputs("\n`services`, `commissioners` and `providers` are required lists, described "
          "below; `entrant` is an optional group, and `agencies` and `timeline` are optional "
          "lists.\n", f);

    fputs("\n## Parameter groups\n\nEach group is written `group = { key = value; ... };` "
          "and may be left out; every key left out keeps its default. A real may be "
          "written as an integer (`2` for `2.0`).\n", f);
    for (const qm_param_def *d = qm_param_table; d->path; d++) {
        size_t gl = qm_keys_group_len(d->path);
        if (qm_keys_opens_group(d)) {
            fprintf(f, "\n### `%.*s`\n\n", (int)gl, d->path);
            md_head(f);
        }
        md_row(f, d, d->path + gl + 1, "");
    }

    fprintf(f, "\n## Services\n\n`services = ( { name = \"...\"; ... }, ... );` lists the "
            "service lines: at least one, at most %d, names unique. A provider's unit cost "
            "lies in [cost_min, cost_max] x tariff, so cost_min must not exceed cost_max.\n\n",
            MAX_SERVICES);
    md_table(f, qm_service_fields, NULL, "(required)");

    fprintf(f, "\n## Commissioner groups\n\n`commissioners = ( { ... }, ... );` lists groups "
            "of commissioners sharing attribute distributions; at least one group and at most "
            "%d commissioners in all. Commissioners without explicit names are called "
            "`<prefix> 1`, `<prefix> 2`, ... within their group; every name must be unique.\n\n",
            MAX_COMMISSIONERS);
    md_table(f, qm_cgroup_fields, NULL, "\"Commissioner\"");
    md_names_row(f);

    fprintf(f, "\n## Provider groups\n\n`providers = ( { ... }, ... );` lists groups of "
            "providers of one kind offering the same services; at least one group, and at "
            "most %d providers in all counting `market.max_entrants`. Names work as for "
            "commissioners; the default prefix is the kind.\n\n", MAX_PROVIDERS);
    md_table(f, qm_pgroup_fields, NULL, "the kind");
    md_names_row(f);
    fputs("| `services` | array of strings | all services | service names, each at most "
          "once | | Services the group offers. |\n", f);

    fputs("\n## Entrant\n\n`entrant = { ... };` (optional) is the template for providers "
          "that enter the market during a run. Entrants are always `independent`; their "
          "number is limited by `market.max_entrants` and they are named `<prefix> 1`, "
          "`<prefix> 2`, ... It takes the provider-group fields below; `kind`, `count`, "
          "`names` and `services` cannot be set.\n\n", f);
    md_table(f, qm_pgroup_fields, qm_keys_entrant_fixed, "\"Entrant\"");

    fprintf(f, "\n## Agency groups\n\n`agencies = ( { kind = \"csu\"; count = 2; ... }, ... );` "
            "(optional) lists groups of support agencies of one kind sharing attribute "
            "distributions; left out, there are none. At most %d agencies in all. Names work "
            "as for commissioners; the default prefix is the kind.\n\n", MAX_AGENCIES);
    md_table(f, qm_agroup_fields, NULL, "the kind");
    md_names_row(f);

    md_timeline(f);

    fprintf(f, "\n## Distributions\n\nA field of type *distribution* is either a number "
            "(every entity in the group gets that value) or a group naming a "
            "distribution:\n\n"
            "| `dist` | keys | checks |\n|---|---|---|\n"
            "| `const` | `value` | value in the field's range (same as a plain number) |\n"
            "| `uniform` | `min`, `max` | both in range, min <= max |\n"
            "| `normal` | `mean`, `sd` | mean in range, sd >= 0; draws are clipped to the "
            "range |\n"
            "| `lognormal` | `mean`, `sd` (of the variable itself, not of its log) | mean > 0 "
            "and in range, sd >= 0; draws are clipped to the range |\n"
            "| `beta` | `a`, `b` | a > 0, b > 0; the field's range must contain [0, 1] |\n"
            "| `list` | `values` | exactly `count` numbers (at most %d), each in range; entity "
            "i of the group gets values[i] |\n", QM_LIST_MAX);
}
