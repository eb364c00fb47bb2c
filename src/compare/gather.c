/* gather.c: the runs of a comparison made elsewhere (docs/analysis.md):
 * read from run files (qmsim run -o), grouped into scenarios, or taken
 * from the design points of a sweep result (qmsim sweep). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hdf5.h>

#include "compare/cmp.h"
#include "qmsim/outfile.h"

/* ---- Run files ---- */

/* What one run file holds. */
typedef struct file_run {
    char *path;
    char *name;          /* scenario_name */
    char *resolved;
    long long seed, rep;
    int months;
    double *all;         /* QM_S_N x months */
    double ev[QM_EV_N];
} file_run;

static void file_run_free(file_run *fr)
{
    free(fr->path);
    free(fr->name);
    free(fr->resolved);
    free(fr->all);
    memset(fr, 0, sizeof *fr);
}

/* Reads the finished run file at path into fr (path left NULL).  0, or
 * -1 with a message and nothing to free. */
static int read_run_file(const char *path, file_run *fr, char *err, size_t errlen)
{
    long long complete = 0;
    qm_runfile *f = qm_runfile_open(path, err, errlen);
    if (!f)
        return -1;
    char *kind = qm_runfile_attr(f, "kind");
    int rc = -1;
    if (kind)
        snprintf(err, errlen, "%s is a %s file, not a run (use %s)", path, kind,
                 strstr(kind, "sweep") ? "--from-sweep" : "qmsim report");
    else if (!qm_runfile_has(f, "series"))
        snprintf(err, errlen, "%s is not a qmsim output file (no /series)", path);
    else if (qm_runfile_int(f, "complete", &complete) != 0 || complete != 1)
        snprintf(err, errlen, "%s is incomplete (the run did not finish)", path);
    else {
        fr->name = qm_runfile_attr(f, "scenario_name");
        fr->resolved = qm_runfile_attr(f, "scenario_resolved");
        if (qm_runfile_int(f, "seed", &fr->seed) != 0)
            fr->seed = -1;
        if (qm_runfile_int(f, "replicate", &fr->rep) != 0)
            fr->rep = -1;
        fr->all = qm_runfile_series(f, &fr->months);
        int n_ev = 0;
        qm_event *ev = qm_runfile_events(f, &n_ev);
        for (int i = 0; i < n_ev; i++)
            if (ev[i].type >= 0 && ev[i].type < QM_EV_N)
                fr->ev[ev[i].type] += 1.0;
        free(ev);
        if (!fr->name || !fr->all) {
            snprintf(err, errlen, "cannot read %s", path);
            file_run_free(fr);
        } else
            rc = 0;
    }
    free(kind);
    qm_runfile_close(f);
    return rc;
}

/* The description line of a resolved scenario. */
static char *description_of(const char *resolved)
{
    const char *p = resolved ? strstr(resolved, "\ndescription = \"") : NULL;
    if (!p)
        return qm_cmp_strdup("");
    p += strlen("\ndescription = \"");
    const char *e = strstr(p, "\";");
    return e ? strndup(p, (size_t)(e - p)) : qm_cmp_strdup("");
}

/* The run files of the arguments, each with the scenario (group) it
 * belongs to: NAME=... names its group, a plain file joins the group of
 * its scenario_name. */
typedef struct file_set {
    file_run *fr;
    int *group;
    int n;
    char **gname, **gsrc;   /* per group: name, and the files it came from */
    int n_groups;
} file_set;

static void file_set_free(file_set *fs)
{
    for (int i = 0; i < fs->n; i++)
        file_run_free(&fs->fr[i]);
    for (int g = 0; g < fs->n_groups; g++) {
        free(fs->gname[g]);
        free(fs->gsrc[g]);
    }
    free(fs->fr);
    free(fs->group);
    free(fs->gname);
    free(fs->gsrc);
}

/* The group called name: found, or added with source src.  -1 out of memory. */
static int group_of(file_set *fs, const char *name, const char *src)
{
    for (int i = 0; i < fs->n_groups; i++)
        if (!strcmp(fs->gname[i], name))
            return i;
    int g = fs->n_groups++;
    fs->gname[g] = qm_cmp_strdup(name);
    fs->gsrc[g] = qm_cmp_strdup(src);
    return fs->gname[g] && fs->gsrc[g] ? g : -1;
}

/* Adds file tok to the files of group g ("a.h5,b.h5").  0 or -1. */
static int add_source(file_set *fs, int g, const char *tok)
{
    size_t len = strlen(fs->gsrc[g]) + strlen(tok) + 2;
    char *s = malloc(len);
    if (!s)
        return -1;
    snprintf(s, len, "%s%s%s", fs->gsrc[g], *fs->gsrc[g] ? "," : "", tok);
    free(fs->gsrc[g]);
    fs->gsrc[g] = s;
    return 0;
}

/* Reads the files of one argument (copy: its comma-separated files,
 * changed in place) into group g (-1: by scenario_name).  QM_CMP_*. */
static int read_argument(file_set *fs, char *copy, int g, char *err, size_t errlen)
{
    for (char *tok = copy, *next; tok; tok = next) {
        next = strchr(tok, ',');
        if (next)
            *next++ = '\0';
        if (!*tok)
            continue;
        file_run *fr = &fs->fr[fs->n];
        /* A file that is missing, damaged, incomplete or of another kind
         * is bad input, as in summary, report and sensitivity. */
        if (read_run_file(tok, fr, err, errlen) != 0)
            return QM_CMP_BAD_INPUT;
        if (!(fr->path = qm_cmp_strdup(tok))) {
            file_run_free(fr);
            goto oom;
        }
        fs->n++;
        int gg = g;
        if (gg < 0 && ((gg = group_of(fs, fr->name, "")) < 0 || add_source(fs, gg, tok) != 0))
            goto oom;
        fs->group[fs->n - 1] = gg;
    }
    return QM_CMP_OK;
oom:
    snprintf(err, errlen, "out of memory");
    return QM_CMP_FAILED;
}

/* Reads every file of every argument into fs.  QM_CMP_*. */
static int read_files(const char *const *args, int n_args, file_set *fs, char *err,
                      size_t errlen)
{
    int cap = 0, rc = QM_CMP_FAILED;
    for (int a = 0; a < n_args; a++) {
        cap++;
        for (const char *p = args[a]; *p; p++)
            cap += *p == ',';
    }
    fs->fr = calloc((size_t)cap + 1, sizeof *fs->fr);
    fs->group = calloc((size_t)cap + 1, sizeof *fs->group);
    fs->gname = calloc((size_t)cap + 1, sizeof *fs->gname);
    fs->gsrc = calloc((size_t)cap + 1, sizeof *fs->gsrc);
    if (!fs->fr || !fs->group || !fs->gname || !fs->gsrc)
        goto oom;
    for (int a = 0; a < n_args; a++) {
        const char *eq = strchr(args[a], '=');
        char *copy = qm_cmp_strdup(eq ? eq + 1 : args[a]);
        int g = -1;
        if (!copy)
            goto oom;
        if (eq && (eq == args[a] || !*copy)) {
            snprintf(err, errlen, "'%s': expected NAME=FILE[,FILE...]", args[a]);
            free(copy);
            return QM_CMP_BAD_INPUT;
        }
        if (eq) {
            char *nm = strndup(args[a], (size_t)(eq - args[a]));
            g = nm ? group_of(fs, nm, eq + 1) : -1;
            free(nm);
            if (g < 0) {
                free(copy);
                goto oom;
            }
        }
        rc = read_argument(fs, copy, g, err, errlen);
        free(copy);
        if (rc != QM_CMP_OK)
            return rc;
    }
    return QM_CMP_OK;
oom:
    snprintf(err, errlen, "out of memory");
    return QM_CMP_FAILED;
}

/* Fills the scenarios of d from the groups.  0, or -1 out of memory. */
static int files_scenarios(const file_set *fs, qm_cmp *d)
{
    d->source = QM_CMP_FILES;
    d->seed = 0;
    d->n_scen = fs->n_groups;
    d->scen = calloc((size_t)fs->n_groups + 1, sizeof *d->scen);
    if (!d->scen)
        return -1;
    d->T = 0;
    for (int i = 0; i < fs->n; i++)
        d->T = fs->fr[i].months > d->T ? fs->fr[i].months : d->T;
    for (int g = 0; g < fs->n_groups; g++) {
        qm_cmp_scenario *c = &d->scen[g];
        int first = -1;
        for (int i = 0; i < fs->n; i++)
            if (fs->group[i] == g) {
                if (first < 0)
                    first = i;
                c->runs++;
                c->months = fs->fr[i].months > c->months ? fs->fr[i].months : c->months;
            }
        c->name = qm_cmp_strdup(fs->gname[g]);
        c->source = qm_cmp_strdup(fs->gsrc[g]);
        c->resolved = qm_cmp_strdup(first >= 0 && fs->fr[first].resolved ? fs->fr[first].resolved
                                                                          : "");
        c->description = description_of(c->resolved);
        c->settings = qm_cmp_strdup("");
        if (!c->name || !c->source || !c->resolved || !c->description || !c->settings)
            return -1;
        d->replications = c->runs > d->replications ? c->runs : d->replications;
    }
    return 0;
}

/* Run j of d from file run fr of scenario g.  0, or -1 out of memory. */
static int files_run(qm_cmp *d, int j, int g, const file_run *fr, const int *keep)
{
    d->run_scen[j] = g;
    d->run_rep[j] = fr->rep;
    d->run_seed[j] = (uint64_t)fr->seed;
    if (!(d->run_file[j] = qm_cmp_strdup(fr->path)))
        return -1;
    for (int m = 0; m < d->n_out; m++)
        d->y[(size_t)j * (size_t)d->n_out + (size_t)m] =
            qm_outcomes_eval(&d->out[m], fr->all, (size_t)fr->months, fr->months);
    for (int s = 0; d->ser && s < d->n_ser; s++)
        for (int t = 0; t < fr->months; t++)
            d->ser[((size_t)j * (size_t)d->n_ser + (size_t)s) * (size_t)d->T + (size_t)t] =
                fr->all[(size_t)keep[s] * (size_t)fr->months + (size_t)t];
    memcpy(d->events + (size_t)j * QM_EV_N, fr->ev, sizeof fr->ev);
    return 0;
}

int qm_gather_files(const char *const *args, int n_args, const int *keep, int n_keep,
                    qm_cmp *d, char *err, size_t errlen)
{
    file_set fs;
    memset(&fs, 0, sizeof fs);
    int rc = read_files(args, n_args, &fs, err, errlen);
    if (rc != QM_CMP_OK)
        goto out;
    rc = QM_CMP_FAILED;
    if (files_scenarios(&fs, d) != 0
        || (n_keep > 0 && qm_cmp_set_model_series(d, keep, n_keep) != 0)
        || qm_cmp_alloc_runs(d, fs.n, 1) != 0)
        goto oom;
    /* Runs in scenario order, files in the order given. */
    for (int g = 0, j = 0; g < fs.n_groups; g++)
        for (int i = 0; i < fs.n; i++)
            if (fs.group[i] == g && files_run(d, j++, g, &fs.fr[i], keep) != 0)
                goto oom;
    rc = QM_CMP_OK;
    goto out;
oom:
    snprintf(err, errlen, "out of memory");
out:
    file_set_free(&fs);
    return rc;
}

/* ---- A sweep's design points ---- */

/* The name of list entry v of labels "a,b,c" (len bytes at *name), or NULL. */
static const char *label_at(const char *labels, double v, size_t *len)
{
    const char *q = labels;
    for (int k = 0; k < (int)v && q; k++) {
        q = strchr(q, ',');
        q = q ? q + 1 : NULL;
    }
    *len = q ? strcspn(q, ",") : 0;
    return q;
}

/* "name=value" of every factor at point p. */
static char *point_settings(const qm_result *r, long p)
{
    size_t len = 1;
    char buf[512];
    char *s = NULL;
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1 && !(s = calloc(1, len)))
            return NULL;
        for (int i = 0; i < r->n_factors; i++) {
            double v = r->design_values[p * r->n_factors + i];
            const char *lab = r->factor_labels[i];
            if (lab && *lab) {
                size_t l;
                const char *q = label_at(lab, v, &l);
                snprintf(buf, sizeof buf, "%s%s=%.*s", i ? ", " : "", r->factor_names[i],
                         (int)(q ? l : 1), q ? q : "?");
            } else {
                snprintf(buf, sizeof buf, "%s%s=%.6g", i ? ", " : "", r->factor_names[i], v);
            }
            if (pass == 0)
                len += strlen(buf);
            else
                strcat(s, buf);
        }
    }
    return s;
}

/* The resolved scenario of design point p: the sweep's base with the
 * point's factor values applied, as `qmsim sweep` runs it.  A malloc'd
 * string; the base's text when the point does not load (or is not a
 * scenario, as Ishigami's). */
static char *point_resolved(const qm_result *r, long p)
{
    int k = r->n_factors;
    char *out = NULL;
    if (r->model != QM_MODEL_ABM || !r->base_resolved || !*r->base_resolved)
        return qm_cmp_strdup(r->base_resolved);
    char (*buf)[600] = calloc((size_t)k + 1, sizeof *buf);
    const char **ov = calloc((size_t)k + 1, sizeof *ov);
    qm_errors *e = calloc(1, sizeof *e);
    qm_scenario sc;
    if (buf && ov && e) {
        for (int i = 0; i < k; i++) {
            double v = r->design_values[p * k + i];
            const char *lab = r->factor_labels[i];
            if (lab && *lab) {
                size_t l;
                const char *q = label_at(lab, v, &l);
                snprintf(buf[i], sizeof buf[i], "%s=%.*s", r->factor_paths[i], (int)l,
                         q ? q : "");
            } else if (r->factor_integer[i])
                snprintf(buf[i], sizeof buf[i], "%s=%.0f", r->factor_paths[i], v);
            else
                snprintf(buf[i], sizeof buf[i], "%s=%.17g", r->factor_paths[i], v);
            ov[i] = buf[i];
        }
        if (qm_scenario_load_text(r->base_resolved, "sweep point", ov, k, &sc, e) == 0) {
            out = qm_scenario_resolved_text(&sc);
            qm_scenario_free(&sc);
        }
    }
    free(buf);
    free(ov);
    free(e);
    return out ? out : qm_cmp_strdup(r->base_resolved);
}

/* The design points of --points (NULL: all) into pts; how many, or -1
 * with a message. */
static int choose_points(const qm_result *r, const char *points, long *pts, char *err,
                         size_t errlen)
{
    int P = 0;
    if (!points) {
        for (long p = 0; p < r->n_points; p++)
            pts[P++] = p;
        return P;
    }
    for (const char *s = points; *s;) {
        char *end;
        errno = 0;
        long p = strtol(s, &end, 10);
        if (end == s || errno || p < 0 || p >= r->n_points || (*end && *end != ',')) {
            snprintf(err, errlen, "--points: expected design points in [0, %ld], got '%s'",
                     r->n_points - 1, points);
            return -1;
        }
        if (P < r->n_points)
            pts[P++] = p;
        s = *end ? end + 1 : end;
    }
    return P;
}

/* The outcomes of d: the sweep's columns, all or those named in list.
 * 0, or -1 with a message. */
static int choose_columns(const qm_result *r, const char *path, const char *list, qm_cmp *d,
                          char *err, size_t errlen)
{
    if (!list) {
        for (int m = 0; m < r->n_outcomes; m++)
            qm_outcomes_from_sweep(r, m, &d->out[d->n_out++]);
        return 0;
    }
    for (const char *s = list;;) {
        size_t len = strcspn(s, ",");
        int col = -1;
        for (int m = 0; m < r->n_outcomes; m++)
            if (strlen(r->outcome_names[m]) == len && !strncmp(r->outcome_names[m], s, len))
                col = m;
        if (col < 0 || d->n_out == r->n_outcomes) {
            size_t o = (size_t)snprintf(err, errlen, "'%.*s' is not an outcome of %s (it has:",
                                        (int)len, s, path);
            for (int m = 0; m < r->n_outcomes && o < errlen; m++)
                o += (size_t)snprintf(err + o, errlen - o, " %s", r->outcome_names[m]);
            if (o < errlen)
                snprintf(err + o, errlen - o, ")");
            return -1;
        }
        qm_outcomes_from_sweep(r, col, &d->out[d->n_out++]);
        if (!s[len])
            break;
        s += len + 1;
    }
    return 0;
}

/* The scenarios of d: one per chosen point.  0, or -1 out of memory. */
static int sweep_scenarios(const qm_result *r, const char *path, const long *pts, int P,
                           qm_cmp *d)
{
    d->source = QM_CMP_SWEEP;
    d->seed = r->seed;
    d->replications = r->replications;
    d->n_scen = P;
    d->scen = calloc((size_t)P + 1, sizeof *d->scen);
    if (!d->scen)
        return -1;
    for (int i = 0; i < P; i++) {
        qm_cmp_scenario *c = &d->scen[i];
        char nm[96];
        snprintf(nm, sizeof nm, "point %ld", pts[i]);
        c->name = qm_cmp_strdup(nm);
        c->source = qm_cmp_strdup(path);
        c->settings = point_settings(r, pts[i]);
        snprintf(nm, sizeof nm, "design point %ld of the sweep", pts[i]);
        c->description = qm_cmp_strdup(nm);
        c->resolved = point_resolved(r, pts[i]);
        c->months = r->months;
        c->runs = r->replications;
        if (!c->name || !c->source || !c->settings || !c->description || !c->resolved)
            return -1;
    }
    return 0;
}

/* The sweep's saved series, kept as they are.  0, or -1 out of memory. */
static int sweep_series(const qm_result *r, qm_cmp *d)
{
    d->n_ser = r->n_series;
    d->T = r->months;
    d->ser_names = calloc((size_t)r->n_series + 1, sizeof(char *));
    d->ser_units = calloc((size_t)r->n_series + 1, sizeof(char *));
    d->ser_desc = calloc((size_t)r->n_series + 1, sizeof(char *));
    if (!d->ser_names || !d->ser_units || !d->ser_desc)
        return -1;
    for (int i = 0; i < r->n_series; i++) {
        int k = qm_outcomes_series_index(r->series_names[i]);
        d->ser_names[i] = qm_cmp_strdup(r->series_names[i]);
        d->ser_units[i] = qm_cmp_strdup(k >= 0 ? qm_series_defs[k].units : "");
        d->ser_desc[i] = qm_cmp_strdup(k >= 0 ? qm_series_defs[k].description : "");
        if (!d->ser_names[i] || !d->ser_units[i] || !d->ser_desc[i])
            return -1;
    }
    return 0;
}

/* The runs of the chosen points, in point order.  QM_CMP_*. */
static int sweep_runs(const qm_result *r, const char *path, const long *pts, int P, qm_cmp *d,
                      char *err, size_t errlen)
{
    qm_result_series *rs = NULL;
    double *buf = NULL;
    int rc = QM_CMP_FAILED, j = 0;
    if (d->ser) {
        rs = qm_result_series_open(path, r, err, errlen);
        buf = malloc(((size_t)r->n_series * (size_t)r->months + 1) * sizeof *buf);
        if (!rs || !buf) {
            if (rs)
                snprintf(err, errlen, "out of memory");
            goto out;
        }
    }
    for (int i = 0; i < P; i++)
        for (long run = 0; run < r->n_runs; run++) {
            if (r->point[run] != pts[i] || j == d->n_runs)
                continue;
            d->run_scen[j] = i;
            d->run_rep[j] = r->replicate[run];
            d->run_seed[j] = r->seeds[run];
            if (!(d->run_file[j] = qm_cmp_strdup(""))) {
                snprintf(err, errlen, "out of memory");
                goto out;
            }
            for (int m = 0; m < d->n_out; m++)
                d->y[(size_t)j * (size_t)d->n_out + (size_t)m] =
                    r->status[run] == QM_RUN_OK
                        ? r->outcomes[run * r->n_outcomes + d->out[m].column] : NAN;
            if (d->ser && r->status[run] == QM_RUN_OK) {
                if (qm_result_series_read(rs, run, buf) != 0) {
                    snprintf(err, errlen, "cannot read the series of run %ld of %s", run, path);
                    goto out;
                }
                memcpy(d->ser + (size_t)j * (size_t)d->n_ser * (size_t)d->T, buf,
                       (size_t)d->n_ser * (size_t)d->T * sizeof *buf);
            }
            j++;
        }
    d->n_runs = j;
    rc = QM_CMP_OK;
out:
    qm_result_series_close(rs);
    free(buf);
    return rc;
}

int qm_gather_sweep(const char *path, const char *points, const char *outcomes,
                    int keep_series, qm_cmp *d, char *err, size_t errlen)
{
    char why[600];
    qm_result r;
    qm_outfile_hdf5_setup();   /* our messages, not HDF5's stack */
    if (qm_result_read(path, &r, why, sizeof why) != 0) {
        snprintf(err, errlen, "%s", why); /* it names the file */
        return QM_CMP_BAD_INPUT;          /* as sensitivity and merge say it */
    }
    int rc = QM_CMP_BAD_INPUT, P;
    long *pts = calloc((size_t)r.n_points + 1, sizeof *pts);
    if (!pts || !(d->out = calloc((size_t)r.n_outcomes + 1, sizeof *d->out)))
        goto oom;
    if ((P = choose_points(&r, points, pts, err, errlen)) < 0
        || choose_columns(&r, path, outcomes, d, err, errlen) != 0)
        goto out;
    rc = QM_CMP_FAILED;
    if (sweep_scenarios(&r, path, pts, P, d) != 0
        || (keep_series && r.n_series > 0 && sweep_series(&r, d) != 0)
        || qm_cmp_alloc_runs(d, P * r.replications, 0) != 0)
        goto oom;
    rc = sweep_runs(&r, path, pts, P, d, err, errlen);
    goto out;
oom:
    snprintf(err, errlen, "out of memory");
    rc = QM_CMP_FAILED;
out:
    free(pts);
    qm_result_free(&r);
    return rc;
}
