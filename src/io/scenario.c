/* scenario.c: loads a scenario (scenario.h): the text is checked, parsed
 * by libconfig, changed by the overrides and read part by part in a fixed
 * order into a scenario that reaches the caller only when no problem was
 * found.  The parts are in scenario_*.c (scenario_read.h lists them).
 *
 * Everything is driven by the registry in params.c: a key is read, checked,
 * written back and documented from its qm_param_def, so adding a parameter
 * there is all it takes to make it settable, resolvable and documented.
 * Only the structural keys (the entity lists, names, a provider group's
 * services, distribution groups, the seed, and the timeline's per-type
 * rules and policy values) have code of their own.
 *
 * A load never stops at the first problem: every problem is recorded as
 * "FILE:LINE: message" and the scenario is thrown away at the end. */
#include "qmsim/scenario.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "io/cfgtext.h"
#include "io/scenario_read.h"
#include "qmsim/file.h"

/* The checks across fields (qm_params_check) and the size of the
 * commissioner-service table, once every part is read. */
static void cross_checks(rd *r, config_setting_t *root, long long ncomm)
{
    char msg[QM_ERR_LEN - 64], path[KEY_MAX];
    int bad = qm_params_check(&r->s->p, msg, sizeof msg);
    if (bad > 0) {
        size_t n = strspn(msg, "abcdefghijklmnopqrstuvwxyz0123456789_.");
        snprintf(path, sizeof path, "%.*s", (int)(n < sizeof path ? n : sizeof path - 1), msg);
        const config_setting_t *s = n ? config_setting_lookup(root, path) : NULL;
        if (bad > 1)
            qm_diag_at(r, s ? s : root, "%s (and %d more cross-field problem%s)", msg, bad - 1,
                       bad > 2 ? "s" : "");
        else
            qm_diag_at(r, s ? s : root, "%s", msg);
    }
    long long pairs = ncomm * r->s->n_services;
    if (pairs > MAX_PAIRS)
        qm_diag_at(r, config_setting_get_member(root, "commissioners"),
                   "%lld commissioners x %d services = %lld commissioner-service pairs; at most %lld "
                   "are allowed", ncomm, r->s->n_services, pairs, MAX_PAIRS);
}

/* Reads the parts of the scenario in the order of the file's sections. */
static void read_scenario(rd *r, config_setting_t *root)
{
    long long ncomm;
    qm_groups_top_defaults(r->s);
    qm_groups_read_top(r, root);
    qm_groups_read_services(r, root);
    qm_entities_read_cgroups(r, root, &ncomm);
    qm_entities_read_pgroups(r, root);
    qm_entities_read_entrant(r, root);
    qm_entities_read_agroups(r, root);
    qm_tl_read(r, root);
    cross_checks(r, root, ncomm);
}

/* ---- Loading. ---- */

/* 1 (with one message saying what the file is and which command takes
 * it) when root is a sweep or calibration file rather than a scenario:
 * it names a base scenario and factors, or parameters and targets. */
static int other_kind(const char *name, config_setting_t *root, qm_errors *err)
{
    int base = config_setting_get_member(root, "base") != NULL;
    if (base && (config_setting_get_member(root, "factors")
                 || config_setting_get_member(root, "design")))
        qm_errors_add(err, "%s is a sweep file (it has base and factors), not a scenario: run it "
                           "with `qmsim sweep %s -o RESULT.h5`", name, name);
    else if (base && (config_setting_get_member(root, "targets")
                      || config_setting_get_member(root, "parameters")))
        qm_errors_add(err, "%s is a calibration file (it has base, parameters and targets), not "
                           "a scenario: run it with `qmsim calibrate %s -o CAL.h5`", name, name);
    else
        return 0;
    return 1;
}

/* Parses text, applies overrides and reads the scenario into a local
 * struct that reaches *out only when no problem was found. */
static int load(const char *text, const char *name, const char *const *ov, int n,
                qm_scenario *out, qm_errors *err)
{
    rd r = {.file = name, .err = err};
    qm_scenario s;
    config_t cfg;
    text = qm_cfgtext_skip_bom(text);
    if (qm_lex_check(&r, text))
        return err->n;
    config_init(&cfg);
    if (!config_read_string(&cfg, text)) {
        qm_cfgtext_syntax(err, name, text, &cfg);
        config_destroy(&cfg);
        return err->n;
    }
    if (other_kind(name, config_root_setting(&cfg), err)) {
        config_destroy(&cfg);
        return err->n;
    }
    if (n > 0 && !ov)
        qm_errors_add(err, "--set: %d overrides given without their text", n);
    for (int i = 0; ov && i < n; i++)
        qm_override_apply(&r, config_root_setting(&cfg), ov[i]);
    memset(&s, 0, sizeof s);
    r.s = &s;
    read_scenario(&r, config_root_setting(&cfg));
    config_destroy(&cfg);
    if (err->n == 0) {
        s.source_name = strdup(name);
        s.source_text = strdup(text);
        if (!s.source_name || !s.source_text)
            qm_diag_oom(&r);
    }
    if (err->n) {
        qm_scenario_free(&s);
        return err->n;
    }
    memcpy(out, &s, sizeof s);
    return 0;
}

/* The start of a public load: the error list to fill (local when the
 * caller gives none), emptied, and *out zeroed so a failed load leaves
 * nothing to free. */
static qm_errors *start_load(qm_errors *err, qm_errors *local, qm_scenario *out)
{
    static const qm_errors none;
    if (!err)
        err = local;
    *err = none;
    if (out)
        memset(out, 0, sizeof *out);
    return err;
}

/* Loads a scenario from text; see scenario.h.  NULL text, name, err or out
 * are tolerated (reported, or a local error list is used). */
int qm_scenario_load_text(const char *text, const char *name, const char *const *overrides,
                          int n, qm_scenario *out, qm_errors *err)
{
    qm_errors local;
    err = start_load(err, &local, out);
    if (!name)
        name = "<text>";
    if (!out)
        qm_errors_add(err, "%s: no scenario to fill", name);
    else if (!text)
        qm_errors_add(err, "%s: no scenario text", name);
    else
        return load(text, name, overrides, n, out, err);
    return err->n;
}

int qm_scenario_load(const char *path, const char *const *overrides, int n, qm_scenario *out,
                     qm_errors *err)
{
    qm_errors local;
    size_t len = 0;
    if (!path)
        return qm_scenario_load_text(qm_builtin_baseline, "builtin:baseline", overrides, n, out,
                                     err);
    err = start_load(err, &local, out);
    char *text = qm_file_read(path, (size_t)MAX_FILE, &len);
    if (!text) {
        qm_errors_add(err, "%s: cannot read: %s", path, strerror(errno));
        return err->n;
    }
    if (strlen(text) != len) {
        qm_errors_add(err, "%s: cannot read: a NUL byte at offset %zu (not a text file)", path,
                      strlen(text));
        free(text);
        return err->n;
    }
    int rc = qm_scenario_load_text(text, path, overrides, n, out, err);
    free(text);
    return rc;
}

/* Frees what a loaded scenario owns and zeroes it; safe on a zeroed or
 * partly filled struct, and on NULL. */
void qm_scenario_free(qm_scenario *s)
{
    if (!s)
        return;
    free(s->services);
    for (int i = 0; s->cgroups && i < s->n_cgroups; i++)
        qm_field_free_group(qm_cgroup_fields, &s->cgroups[i], s->cgroups[i].names, NULL);
    free(s->cgroups);
    for (int i = 0; s->pgroups && i < s->n_pgroups; i++)
        qm_field_free_group(qm_pgroup_fields, &s->pgroups[i], s->pgroups[i].names,
                            s->pgroups[i].services);
    free(s->pgroups);
    qm_field_free_group(qm_pgroup_fields, &s->entrant, s->entrant.names, s->entrant.services);
    for (int i = 0; s->agroups && i < s->n_agroups; i++)
        qm_field_free_group(qm_agroup_fields, &s->agroups[i], s->agroups[i].names, NULL);
    free(s->agroups);
    free(s->timeline);
    free(s->source_name);
    free(s->source_text);
    memset(s, 0, sizeof *s);
}
