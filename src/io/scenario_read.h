/* scenario_read.h: the parts of the scenario reader (src/io/scenario*.c)
 * and what they share: the state of one load, the key tables, and the
 * functions one part calls in another.  Internal to the library (hidden
 * from its exported symbols); the interface is qmsim/scenario.h.
 *
 *   scenario.c            loading: text, overrides, the reading order, free
 *   scenario_diag.c       messages at a setting ("FILE:LINE: ..."), text helpers
 *   scenario_lex.c        checks of the raw text before libconfig parses it
 *   scenario_keys.c       the key tables and the unknown-key reports
 *   scenario_value.c      typed single values
 *   scenario_dist.c       distribution groups { dist = ...; }
 *   scenario_field.c      any registry field, by its type
 *   scenario_groups.c     top level, parameter groups, names, services, one group
 *   scenario_entities.c   the entity lists: commissioners, providers, agencies, entrant
 *   scenario_timeline.c   the timeline of events
 *   scenario_override.c   --set path=value
 *   scenario_resolved.c   the resolved text (every default filled in)
 *   scenario_reference.c  the Markdown reference of every key (docs/scenarios.md) */
#ifndef QMSIM_IO_SCENARIO_READ_H
#define QMSIM_IO_SCENARIO_READ_H

#include <libconfig.h>
#include <stddef.h>

#include "io/suggest.h"
#include "qmsim/scenario.h"

#define QM_SCN_HIDDEN __attribute__((visibility("hidden")))

#define MAX_COMMISSIONERS 100000     /* all commissioner groups together */
#define MAX_PROVIDERS 1000000        /* providers plus market.max_entrants */
#define MAX_SERVICES 1000
#define MAX_AGENCIES 100000          /* all agency groups together */
#define MAX_EVENTS 10000             /* timeline events */
#define MAX_PAIRS 10000000LL         /* commissioners x services */
#define MAX_FILE (64L << 20)         /* bytes; a scenario is hand-written */
#define MAX_BAD_LINES 64
#define KEY_MAX QM_SUGGEST_MAX       /* longest key compared for suggestions */

#define ENTRANT_FIXED_MSG                                                                   \
    "%s cannot be set: entrants are independent providers, their number is limited by "   \
    "market.max_entrants and they choose their own services"

/* State of one load. */
typedef struct rd {
    const char *file;            /* name used in messages */
    qm_errors *err;
    qm_scenario *s;              /* scenario being filled */
    int n_bad;                   /* lines holding a wrapped integer literal */
    int bad_lines[MAX_BAD_LINES];
    int months_bad;              /* months was invalid: no horizon checks */
    int horizon_set;             /* months came from --set: later events are dropped */
} rd;

/* A number as the shortest text that reads back to the same double.  The
 * struct lets a call sit inside a printf argument list (C11 6.2.4p8). */
typedef struct numtext { char s[40]; } numtext;

/* A user string made safe for a one-line message: control bytes become
 * '?', and long strings are cut. */
typedef struct cliptext { char s[56]; } cliptext;

/* A name with where it came from, for sorting and searching. */
typedef struct nref {
    const char *name;
    int g, k;                    /* group and index within its names */
} nref;

/* Reads a structural key that only one kind of group has (a provider
 * group's services, the entrant's fixed keys) into the group at base; key
 * is shown as path, and arg is what qm_groups_read was given.  Returns 1
 * when key was one, else 0: the key is then read as a field. */
typedef int (*key_hook)(rd *r, const config_setting_t *m, const char *key, const char *path,
                        void *base, const void *arg);

/* How one kind of group is read, beside the struct it fills. */
typedef struct gspec {
    const qm_param_def *fields;
    const char *shape;             /* keys shown in "expected a group { ... }" */
    const char *const *extra;      /* structural keys, offered for typos */
    const char *const *excl;       /* fields it cannot set, never offered */
    key_hook hook;                 /* its own structural keys, or NULL */
} gspec;

/* ---- scenario_diag.c: messages and text helpers ------------------------ */

/* x as the shortest text that reads back to the same double. */
QM_SCN_HIDDEN numtext qm_diag_num(double x);

/* v (NULL as "") made safe for a one-line message. */
QM_SCN_HIDDEN cliptext qm_diag_clip(const char *v);

/* "an integer", "a string"... for the type of setting s. */
QM_SCN_HIDDEN const char *qm_diag_type(const config_setting_t *s);

/* Appends word (wl bytes) to the ", "-separated list in buf (n bytes);
 * what does not fit is left out. */
QM_SCN_HIDDEN void qm_diag_join(char *buf, size_t n, const char *word, size_t wl);

/* Appends each of the NULL-terminated names (NULL: none) as qm_diag_join. */
QM_SCN_HIDDEN void qm_diag_join_names(char *buf, size_t n, const char *const *names);

/* Records a problem found at setting set: "FILE:LINE: msg", or "--set: msg"
 * for a setting an override made; a setting without a line takes its
 * nearest ancestor's. */
QM_SCN_HIDDEN void qm_diag_at(rd *r, const config_setting_t *set, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Records "FILE: out of memory". */
QM_SCN_HIDDEN void qm_diag_oom(rd *r);

/* ---- scenario_lex.c: the raw text ------------------------------------ */

/* Whether integer setting s sits on a line whose integer literal libconfig
 * wrapped (reported by qm_lex_check). */
QM_SCN_HIDDEN int qm_lex_bad_line(const rd *r, const config_setting_t *s);

/* Checks text t before libconfig parses it: records the lines of wrapped
 * integer literals in r, and reports @include, nesting deeper than libconfig
 * survives and a syntax error at a string.  Returns -1 when the text must
 * not reach libconfig (reported), else 0. */
QM_SCN_HIDDEN int qm_lex_check(rd *r, const char *t);

/* ---- scenario_keys.c: key tables and unknown keys --------------------- */

/* The top-level scalar keys, in the registry's format (NULL-terminated). */
extern const qm_param_def qm_keys_top[] QM_SCN_HIDDEN;

/* Keys of a distribution group by kind (indexed by qm_dist_kind). */
extern const char *const qm_keys_dist[QM_DIST_N][2] QM_SCN_HIDDEN;

/* Structural keys beside the field tables: a commissioner or agency
 * group's, and a provider group's. */
extern const char *const qm_keys_names_extra[] QM_SCN_HIDDEN;
extern const char *const qm_keys_pgroup_extra[] QM_SCN_HIDDEN;

/* The entity lists and the timeline, at the top level. */
extern const char *const qm_keys_lists[] QM_SCN_HIDDEN;

/* Provider-group fields the entrant template cannot set. */
extern const char *const qm_keys_entrant_fixed[] QM_SCN_HIDDEN;

/* Length of the group part of a registry path ("trust" of "trust.penalty"). */
QM_SCN_HIDDEN size_t qm_keys_group_len(const char *path);

/* Whether registry entry d, of qm_param_table, is the first of its group. */
QM_SCN_HIDDEN int qm_keys_opens_group(const qm_param_def *d);

/* The keys valid in a group (table entries plus extra, minus excl): joined
 * into valid (n bytes), and the nearest to key searched for in g. */
QM_SCN_HIDDEN void qm_keys_valid(qm_suggest *g, char *valid, size_t n, const char *key,
                                 const qm_param_def *table, const char *const *extra,
                                 const char *const *excl);

/* Reports key (shown as ctx.key) as unknown, suggesting the nearest of the
 * keys valid there, or listing them. */
QM_SCN_HIDDEN void qm_keys_unknown_field(rd *r, const config_setting_t *set, const char *ctx,
                                         const char *key, const qm_param_def *table,
                                         const char *const *extra, const char *const *excl);

/* Reports an unknown key of a parameter group (path "group.key") or of the
 * top level (path "key", group NULL), suggesting a registry path. */
QM_SCN_HIDDEN void qm_keys_unknown_param(rd *r, const config_setting_t *set, const char *path,
                                         const char *group);

/* ---- scenario_value.c: single values -----------------------------------
 * Each reader returns 0, or -1 after reporting at set (shown as label). */

/* A finite number (an integer is taken). */
QM_SCN_HIDDEN int qm_value_real(rd *r, const config_setting_t *set, const char *label,
                                double *out);

/* A number in [lo, hi]. */
QM_SCN_HIDDEN int qm_value_real_in(rd *r, const config_setting_t *set, const char *label,
                                   double lo, double hi, double *out);

/* An integer in [lo, hi]. */
QM_SCN_HIDDEN int qm_value_int_in(rd *r, const config_setting_t *set, const char *label,
                                  long long lo, long long hi, long long *out);

/* A string; *out points into the configuration. */
QM_SCN_HIDDEN int qm_value_string(rd *r, const config_setting_t *set, const char *label,
                                  const char **out);

/* A string of minlen..maxlen bytes copied into dst (maxlen + 1 bytes). */
QM_SCN_HIDDEN int qm_value_text(rd *r, const config_setting_t *set, const char *label,
                                size_t minlen, size_t maxlen, char *dst);

/* One of the NULL-terminated names, as its index. */
QM_SCN_HIDDEN int qm_value_enum(rd *r, const config_setting_t *set, const char *label,
                                const char *const *names, int *out);

/* ---- scenario_dist.c ---------------------------------------------------- */

/* Reads a DIST field: a number (constant) or a distribution group.  count
 * is the owning group's size for a list (0: no group, so no list; -1: the
 * count was invalid).  *out changes only on success.  0 or -1 (reported). */
QM_SCN_HIDDEN int qm_dist_read(rd *r, const qm_param_def *d, const config_setting_t *set,
                               const char *label, int count, qm_dist *out);

/* ---- scenario_field.c: registry fields ---------------------------------- */

/* The registry field d of the struct at base; count is the owning group's
 * size for list distributions (see qm_dist_read). */
QM_SCN_HIDDEN int qm_field_read(rd *r, const qm_param_def *d, const config_setting_t *set,
                                void *base, const char *label, int count);

/* Frees what a group read with table owns: its list distributions, names
 * and services (either may be NULL).  Cannot fail. */
QM_SCN_HIDDEN void qm_field_free_group(const qm_param_def *table, void *base, void *names,
                                      void *services);

/* ---- scenario_groups.c: groups, names and services ------------------- */

/* Fills the top-level defaults of s.  Cannot fail. */
QM_SCN_HIDDEN void qm_groups_top_defaults(qm_scenario *s);

/* Whether set (shown as ctx) is a group; reports it when not, with the
 * keys it should have (shape). */
QM_SCN_HIDDEN int qm_groups_want(rd *r, const config_setting_t *set, const char *ctx,
                                 const char *shape);

/* Reads the top-level scalar keys and the parameter groups of root. */
QM_SCN_HIDDEN void qm_groups_read_top(rd *r, const config_setting_t *root);

/* The list root.key of what (for messages) with 1..max elements; NULL when
 * it is absent (reported when required) or invalid (reported). */
QM_SCN_HIDDEN const config_setting_t *qm_groups_find_list(rd *r, const config_setting_t *root,
                                                          const char *key, const char *what,
                                                          int max, int required);

/* qm_groups_find_list for a required list. */
QM_SCN_HIDDEN const config_setting_t *qm_groups_get_list(rd *r, const config_setting_t *root,
                                                         const char *key, const char *what,
                                                         int max);

/* qsort orders of nref: by name; by name, group and index. */
QM_SCN_HIDDEN int qm_groups_nref_name_cmp(const void *a, const void *b);
QM_SCN_HIDDEN int qm_groups_nref_cmp(const void *a, const void *b);

/* The index of the service called name (byname: the services sorted by
 * name), or -1 reported at set (shown as label) with a suggestion. */
QM_SCN_HIDDEN int qm_groups_find_service(rd *r, const config_setting_t *set, const char *label,
                                         const char *name, const nref *byname);

/* The scenario's services sorted by name into a malloc'd *out.  0, or -1
 * when out of memory (reported). */
QM_SCN_HIDDEN int qm_groups_services_by_name(rd *r, nref **out);

/* Reads a provider group's services (names of services, no repeats) into
 * a malloc'd array of indices *out of *n_out. */
QM_SCN_HIDDEN void qm_groups_read_offer(rd *r, const config_setting_t *set, const char *label,
                                        const nref *byname, int **out, int *n_out);

/* Reads group e (shown as ctx) into base, which holds the defaults: its
 * count first when count is not NULL, its names when names is not NULL,
 * the keys k's hook takes, then k's fields.  Returns 0, or -1 (reported)
 * when e is not a group. */
QM_SCN_HIDDEN int qm_groups_read(rd *r, const config_setting_t *e, const char *ctx,
                                 const gspec *k, void *base, int *count,
                                 char (**names)[QM_NAME_MAX], int *n_names, const void *arg);

/* Reads the services list. */
QM_SCN_HIDDEN void qm_groups_read_services(rd *r, const config_setting_t *root);

/* ---- scenario_entities.c: the entity lists ---------------------------- */

/* Reads the commissioner groups; *total is the commissioners' number. */
QM_SCN_HIDDEN void qm_entities_read_cgroups(rd *r, const config_setting_t *root,
                                            long long *total);

/* Reads the provider groups, the entrant template and the agency groups. */
QM_SCN_HIDDEN void qm_entities_read_pgroups(rd *r, const config_setting_t *root);
QM_SCN_HIDDEN void qm_entities_read_entrant(rd *r, const config_setting_t *root);
QM_SCN_HIDDEN void qm_entities_read_agroups(rd *r, const config_setting_t *root);

/* Whether key is one the entrant template cannot set. */
QM_SCN_HIDDEN int qm_entities_entrant_fixed(const char *key);

/* ---- scenario_timeline.c ---------------------------------------------- */

/* Joins the names of the event types in mask into buf (n bytes). */
QM_SCN_HIDDEN void qm_tl_mask_names(char *buf, size_t n, unsigned mask);

/* Whether registry entry d is a key of event type t. */
QM_SCN_HIDDEN int qm_tl_takes(const qm_param_def *d, int t);

/* Whether path is a policy parameter a timeline event may set. */
QM_SCN_HIDDEN int qm_tl_is_policy_path(const char *path);

/* Reads the timeline list (optional), sorted by month. */
QM_SCN_HIDDEN void qm_tl_read(rd *r, const config_setting_t *root);

/* ---- scenario_override.c: --set ---------------------------------------- */

/* Whether v is a whole integer (into *out); *range set when it is one but
 * out of range. */
QM_SCN_HIDDEN int qm_override_is_int(const char *v, long long *out, int *range);

/* Applies one "path=value" override to the configuration at root before it
 * is read; problems are reported as "--set: ...". */
QM_SCN_HIDDEN void qm_override_apply(rd *r, config_setting_t *root, const char *text);

#endif
