/* compare.c: `qmsim compare`: compares scenarios over replications with
 * common random numbers (or runs read from files, or a sweep's design
 * points) through the comparison library (qmsim/comparison.h), and prints each
 * outcome's mean with a confidence interval and the paired difference to
 * the first scenario, as text, CSV or JSON (docs/analysis.md). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "cli/print.h"
#include "qmsim/calibrate.h"
#include "qmsim/comparison.h"
#include "qmsim/json.h"

#define MAX_SETS 256
#define MAX_ARGS 4096
#define ERR_MAX (QM_SWEEP_MAX_OUTCOMES * QM_SWEEP_NAME_MAX + 1024)

typedef struct cmp_opts {
    const char *args[MAX_ARGS];   /* scenario files, file groups */
    int n_args;
    const char *sets[MAX_SETS + 1];
    int n_sets;
    char months_set[64];
    const char *from_sweep;
    const char *posterior;        /* --posterior CAL.h5 */
    const char *points;           /* --points */
    int from_files;
    long replications;
    int have_seed;
    uint64_t seed;
    const char *outcomes;
    const char *series;           /* --series */
    const char *format;
    const char *out;
    int force, quiet;
    int threads;
    double level;
} cmp_opts;

/* ---- Options ---- */

/* --level L.  0, or -1 after a message. */
static int parse_level(const char *s, double *level)
{
    char *end;
    double l = s ? strtod(s, &end) : 0.0;
    if (!s || *end || !(l > 0.0 && l < 1.0)) {
        fprintf(stderr, "qmsim compare: --level expects a number in (0, 1), got '%s'\n",
                s ? s : "");
        return -1;
    }
    *level = l;
    return 0;
}

/* One option or argument (qm_args_fn). */
static int on_option(void *ctx, int id, const char *opt, const char *val, long long num)
{
    cmp_opts *o = ctx;
    switch (id) {
    case QM_O_CMP_QUIET: o->quiet = 1; return 0;
    case QM_O_CMP_FORCE: o->force = 1; return 0;
    case QM_O_CMP_FROM_FILES: o->from_files = 1; return 0;
    case QM_O_CMP_REPLICATIONS: o->replications = (long)num; return 0;
    case QM_O_CMP_SEED: o->seed = (uint64_t)num, o->have_seed = 1; return 0;
    case QM_O_CMP_MONTHS:
        snprintf(o->months_set, sizeof o->months_set, "months=%lld", num);
        return 0;
    case QM_O_CMP_THREADS: o->threads = (int)num; return 0;
    case QM_O_CMP_LEVEL: return parse_level(val, &o->level);
    case QM_O_CMP_SET: return qm_args_set("compare", val, o->sets, &o->n_sets, MAX_SETS);
    case QM_O_CMP_OUTCOMES: o->outcomes = val; return 0;
    case QM_O_CMP_FORMAT: o->format = val; return 0;
    case QM_O_CMP_SERIES: o->series = val; return 0;
    case QM_O_CMP_POINTS: o->points = val; return 0;
    case QM_O_CMP_FROM_SWEEP: o->from_sweep = val; return 0;
    case QM_O_CMP_POSTERIOR: o->posterior = val; return 0;
    case QM_O_CMP_OUTPUT: o->out = val; return 0;
    default: break;
    }
    if (o->n_args == MAX_ARGS) {
        fprintf(stderr, "qmsim compare: more than %d arguments\n", MAX_ARGS);
        return -1;
    }
    o->args[o->n_args++] = opt;
    return 0;
}

/* The checks that take every option together.  0, or -1 after a message. */
static int check_args(cmp_opts *o)
{
    const char *msg = NULL;
    if (o->months_set[0])
        o->sets[o->n_sets++] = o->months_set;
    if (strcmp(o->format, "text") && strcmp(o->format, "csv") && strcmp(o->format, "json")) {
        fprintf(stderr, "qmsim compare: --format must be text, csv or json, got '%s'\n", o->format);
        return -1;
    }
    if (o->from_sweep && (o->from_files || o->n_args))
        msg = "--from-sweep takes no other scenarios or files";
    else if (o->points && !o->from_sweep)
        msg = "--points needs --from-sweep";
    else if (!o->from_sweep && o->n_args == 0)
        msg = "no scenarios given (try 'qmsim compare --help')";
    else if (!o->from_sweep && !o->from_files && o->replications == 0)
        msg = "--replications R is required with scenario files";
    else if ((o->from_sweep || o->from_files)
             && (o->replications || o->have_seed || o->n_sets || o->threads > 1 || o->posterior))
        msg = "--replications, --seed, --months, --set, --threads and --posterior apply to "
              "scenario files only";
    if (msg)
        fprintf(stderr, "qmsim compare: %s\n", msg);
    return msg ? -1 : 0;
}

/* Returns 0, 1 for --help, -1 on bad usage (message printed). */
static int parse_args(int argc, char **argv, cmp_opts *o)
{
    o->format = "text";
    o->threads = 1;
    o->level = 0.95;
    int a = qm_args_parse(&qm_options_compare, argc, argv, on_option, o);
    return a != 0 ? a : check_args(o);
}

/* ---- Gathering the runs ---- */

/* The progress bar of the runs (qm_cmp_progress). */
typedef struct bar {
    double t0, shown;
} bar;

static void on_progress(void *ctx, int done, int total)
{
    bar *b = ctx;
    if (qm_args_now() - b->shown < 0.1 && done != total)
        return;
    double el = qm_args_now() - b->t0;
    fprintf(stderr, "\rqmsim compare: %d/%d runs, ETA %.0f s ", done, total,
            done ? el * (total - done) / done : 0.0);
    if (done == total)
        fputc('\n', stderr);
    b->shown = qm_args_now();
}

/* Loads the scenario files and runs them R times each.  The exit status. */
static int run_scenarios(const cmp_opts *o, qm_cmp *d, const int *keep, int n_keep)
{
    int S = o->n_args, loaded = 0, rc = 2;
    char err[1024];
    qm_scenario *sc = calloc((size_t)S, sizeof *sc);
    qm_errors *e = calloc(1, sizeof *e);
    if (!sc || !e) {
        fprintf(stderr, "qmsim compare: out of memory\n");
        free(sc);
        free(e);
        return 1;
    }
    for (int s = 0; s < S; s++, loaded++) {
        memset(e, 0, sizeof *e);
        if (qm_scenario_load(o->args[s], o->sets, o->n_sets, &sc[s], e) != 0) {
            qm_print_errors(e);
            goto out;
        }
    }
    bar b = {qm_args_now(), 0.0};
    qm_crn_plan plan = {sc, o->args, S, (int)o->replications, o->have_seed ? o->seed : sc[0].seed,
                        o->sets, o->n_sets, keep, o->out ? n_keep : 0, o->threads,
                        !o->quiet && isatty(STDERR_FILENO) ? on_progress : NULL, &b, NULL, NULL};
    qm_cal_posterior post;
    memset(&post, 0, sizeof post);
    if (o->posterior && qm_cal_posterior_open(o->posterior, plan.seed, &post, err, sizeof err)) {
        fprintf(stderr, "qmsim compare: --posterior: %s\n", err);
        rc = 1;
        goto out;
    }
    if (o->posterior) {
        plan.per_run = qm_cal_posterior_scenario;
        plan.per_run_ctx = &post;
    }
    rc = qm_crn_run(&plan, d, err, sizeof err);
    qm_cal_posterior_close(&post);
    if (rc != 0)
        fprintf(stderr, "qmsim compare: %s\n", err);
out:
    for (int s = 0; s < loaded; s++)
        qm_scenario_free(&sc[s]);
    free(sc);
    free(e);
    return rc;
}

/* The outcomes and the series to keep, then the runs from where the
 * options say.  The exit status. */
static int gather(const cmp_opts *o, qm_cmp *d)
{
    int keep[QM_S_N], n_keep = 0, rc;
    char *err = malloc(ERR_MAX);
    if (!err) {
        fprintf(stderr, "qmsim compare: out of memory\n");
        return 1;
    }
    if (o->from_sweep) {
        int keep_series = o->out && !(o->series && !strcmp(o->series, "none"));
        rc = qm_gather_sweep(o->from_sweep, o->points, o->outcomes, keep_series, d, err, ERR_MAX);
    } else if (!(d->out = calloc(QM_CMP_MAX_OUTCOMES, sizeof *d->out))) {
        snprintf(err, ERR_MAX, "out of memory");
        rc = 1;
    } else if ((d->n_out = qm_outcomes_parse(o->outcomes, d->out, QM_CMP_MAX_OUTCOMES, err,
                                             ERR_MAX)) < 0) {
        rc = 2;
    } else if ((n_keep = qm_outcomes_keep(o->series, keep, err, ERR_MAX)) < 0) {
        fprintf(stderr, "qmsim compare: --series: %s\n", err);
        free(err);
        return 2;
    } else if (o->from_files) {
        rc = qm_gather_files(o->args, o->n_args, keep, o->out ? n_keep : 0, d, err, ERR_MAX);
    } else {
        free(err);
        return run_scenarios(o, d, keep, n_keep);
    }
    if (rc != 0)
        fprintf(stderr, "qmsim compare: %s\n", err);
    free(err);
    return rc;
}

/* ---- Printing ---- */

/* Position of key outcome key among the comparison's outcomes, -1 none. */
static int key_at(const qm_cmp *d, int key)
{
    for (int m = 0; m < d->n_out; m++)
        if (d->out[m].key == key)
            return m;
    return -1;
}

/* MODEL.md 4.2 (v2): the net benefit of each scenario against the first,
 * gross savings in spend minus the added transaction costs of both sides,
 * a year; its interval is that of the paired difference of net_cost.
 * Printed when spend, tc_total and net_cost are all compared. */
static void print_net_benefit(const qm_cmp *d, const qm_cmp_stat *st, double level)
{
    int S = d->n_scen, ms = key_at(d, QM_KO_SPEND), mt = key_at(d, QM_KO_TC_TOTAL),
        mn = key_at(d, QM_KO_NET_COST);
    const qm_meta *money = qm_outcomes_meta("net_cost");
    char a[48], b[48], c[48], e[48], g[48];
    if (S < 2 || ms < 0 || mt < 0 || mn < 0)
        return;
    printf("\nNet benefit against '%s' a year, %g%% interval: gross savings in spend\n"
           "minus the added transaction costs of commissioners and providers\n",
           d->scen[0].name, 100.0 * level);
    for (int s = 1; s < S; s++) {
        const qm_cmp_stat *n = &st[mn * S + s];
        printf("  %s %s [%s, %s]%s = savings %s - added costs %s\n", d->scen[s].name,
               qm_print_value(-n->diff, money, QM_PRINT_SIGN, a, sizeof a),
               qm_print_value(-n->dhi, money, QM_PRINT_SIGN | QM_PRINT_BARE, b, sizeof b),
               qm_print_value(-n->dlo, money, QM_PRINT_SIGN | QM_PRINT_BARE, c, sizeof c),
               n->sig == 0 ? "  n.s." : "",
               qm_print_value(-st[ms * S + s].diff, money, QM_PRINT_SIGN, e, sizeof e),
               qm_print_value(st[mt * S + s].diff, money, QM_PRINT_SIGN, g, sizeof g));
    }
}

static void print_text(const qm_cmp *d, const qm_cmp_stat *st, double level)
{
    int S = d->n_scen, w = 8;
    char a[40], b[40], desc[400];
    /* Per scenario: mean, "[lo, hi]", diff, "[dlo, dhi]". */
    char (*cell)[4][96] = calloc((size_t)S + 1, sizeof *cell);
    if (!cell)
        return;
    for (int s = 0; s < S; s++)
        w = (int)strlen(d->scen[s].name) > w ? (int)strlen(d->scen[s].name) : w;
    w = w > 48 ? 48 : w;
    if (d->source == QM_CMP_SCENARIOS)
        printf("%d scenarios x %d replications, common random numbers (master seed %llu)\n", S,
               d->replications, (unsigned long long)d->seed);
    else if (d->source == QM_CMP_SWEEP)
        printf("%d design points x %d replications of a sweep, common random numbers (master "
               "seed %llu)\n", S, d->replications, (unsigned long long)d->seed);
    else
        printf("%d scenarios from %d run files\n", S, d->n_runs);
    for (int s = 0; d->source == QM_CMP_SWEEP && s < S; s++)
        printf("  %-*.*s %s\n", w, w, d->scen[s].name, d->scen[s].settings);
    printf("Means with %g%% intervals (t distribution); differences to '%s', paired by seed\n"
           "and replicate; n.s.: the difference's interval includes 0.\n",
           100.0 * level, S ? d->scen[0].name : "");
    int few = 0, clipped = 0;
    for (int m = 0; m < d->n_out; m++) {
        int wd[4] = {0, 0, 0, 0};
        const qm_meta *mt = qm_outcomes_meta(d->out[m].name);
        for (int s = 0; s < S; s++) {
            const qm_cmp_stat *x = &st[m * S + s];
            few |= x->n > 0 && x->n < QM_CMP_FEW_REPLICATIONS;
            clipped |= x->clipped;
            qm_print_value(x->mean, mt, 0, cell[s][0], sizeof cell[s][0]);
            snprintf(cell[s][1], sizeof cell[s][1], "[%s, %s]%s",
                     qm_print_value(x->lo, mt, QM_PRINT_BARE, a, sizeof a),
                     qm_print_value(x->hi, mt, QM_PRINT_BARE, b, sizeof b), x->clipped ? "*" : "");
            qm_print_value(x->diff, mt, QM_PRINT_SIGN, cell[s][2], sizeof cell[s][2]);
            snprintf(cell[s][3], sizeof cell[s][3], "[%s, %s]",
                     qm_print_value(x->dlo, mt, QM_PRINT_SIGN | QM_PRINT_BARE, a, sizeof a),
                     qm_print_value(x->dhi, mt, QM_PRINT_SIGN | QM_PRINT_BARE, b, sizeof b));
            for (int k = 0; k < 4; k++)
                if (s > 0 || k < 2)
                    wd[k] = (int)strlen(cell[s][k]) > wd[k] ? (int)strlen(cell[s][k]) : wd[k];
        }
        printf("\n%s (%s): %s\n", mt ? mt->label : d->out[m].name, d->out[m].name,
               qm_outcomes_describe(&d->out[m], desc, sizeof desc));
        for (int s = 0; s < S; s++) {
            const qm_cmp_stat *x = &st[m * S + s];
            printf("  %-*.*s %*s %-*s", w, w, d->scen[s].name, wd[0], cell[s][0],
                   s > 0 ? wd[1] : 0, cell[s][1]);
            if (s > 0)
                printf("  diff %*s %-*s%s%s", wd[2], cell[s][2], wd[3], cell[s][3],
                       x->sig == 0 ? "  n.s." : "",
                       x->pairs == 0 && isfinite(x->dlo) ? "  (unpaired)" : "");
            printf("\n");
        }
    }
    if (clipped)
        printf("\n* the interval left the range the outcome can take and is cut to it.\n");
    if (few)
        printf("\nwarning: fewer than %d replications: the intervals rest on a normal "
               "approximation\nthat so few runs cannot support and are unreliable; use "
               "--replications %d or more.\n", QM_CMP_FEW_REPLICATIONS, QM_CMP_FEW_REPLICATIONS);
    free(cell);
    print_net_benefit(d, st, level);
}

static void csv_str(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        if (*s == '"')
            putchar('"');
        putchar(*s);
    }
    putchar('"');
}

static void csv_num(double x)
{
    if (isfinite(x))
        printf("%.10g", x);
}

static void print_csv(const qm_cmp *d, const qm_cmp_stat *st)
{
    int S = d->n_scen;
    puts("outcome,scenario,runs,mean,ci_low,ci_high,diff,diff_low,diff_high,pairs,significant,"
         "unit,ci_clipped");
    for (int m = 0; m < d->n_out; m++)
        for (int s = 0; s < S; s++) {
            const qm_cmp_stat *x = &st[m * S + s];
            double v[6] = {x->mean, x->lo, x->hi, x->diff, x->dlo, x->dhi};
            csv_str(d->out[m].name);
            putchar(',');
            csv_str(d->scen[s].name);
            printf(",%d", x->n);
            for (int k = 0; k < 6; k++) {
                putchar(',');
                csv_num(v[k]);
            }
            printf(",%d,%s,", x->pairs, x->sig < 0 ? "" : x->sig ? "yes" : "no");
            const qm_meta *mt = qm_outcomes_meta(d->out[m].name);
            csv_str(mt ? mt->unit : "");
            printf(",%s\n", x->clipped ? "yes" : "no");
        }
}

/* One result of the JSON: outcome's statistics x in scenario name. */
static void json_result(const char *name, const qm_cmp_stat *x, int first)
{
    fputs(first ? "\n    {\"scenario\": " : ",\n    {\"scenario\": ", stdout);
    qm_json_str(stdout, name);
    printf(", \"runs\": %d, \"mean\": ", x->n);
    qm_json_num(stdout, x->mean);
    fputs(", \"ci\": [", stdout);
    qm_json_num(stdout, x->lo);
    fputs(", ", stdout);
    qm_json_num(stdout, x->hi);
    fputs("], \"diff\": ", stdout);
    qm_json_num(stdout, x->diff);
    fputs(", \"diff_ci\": [", stdout);
    qm_json_num(stdout, x->dlo);
    fputs(", ", stdout);
    qm_json_num(stdout, x->dhi);
    printf("], \"ci_clipped\": %s, \"pairs\": %d, \"significant\": %s}",
           x->clipped ? "true" : "false", x->pairs, x->sig < 0 ? "null" : x->sig ? "true" : "false");
}

static void print_json(const qm_cmp *d, const qm_cmp_stat *st, double level)
{
    int S = d->n_scen;
    char desc[400];
    printf("{\"kind\": \"qmsim comparison\", \"source\": \"%s\", \"seed\": %llu, "
           "\"replications\": %d, \"level\": ", qm_cmp_source_names[d->source],
           (unsigned long long)d->seed, d->replications);
    qm_json_setting(stdout, level);
    fputs(", \"reference\": ", stdout);
    qm_json_str(stdout, S ? d->scen[0].name : "");
    fputs(",\n \"scenarios\": [", stdout);
    for (int s = 0; s < S; s++) {
        fputs(s ? ",\n  {\"name\": " : "\n  {\"name\": ", stdout);
        qm_json_str(stdout, d->scen[s].name);
        fputs(", \"source\": ", stdout);
        qm_json_str(stdout, d->scen[s].source);
        fputs(", \"settings\": ", stdout);
        qm_json_str(stdout, d->scen[s].settings);
        printf(", \"runs\": %d, \"months\": %d}", d->scen[s].runs, d->scen[s].months);
    }
    fputs("],\n \"outcomes\": [", stdout);
    for (int m = 0; m < d->n_out; m++) {
        fputs(m ? ",\n  {\"name\": " : "\n  {\"name\": ", stdout);
        qm_json_str(stdout, d->out[m].name);
        fputs(", \"description\": ", stdout);
        qm_json_str(stdout, qm_outcomes_describe(&d->out[m], desc, sizeof desc));
        const qm_meta *mt = qm_outcomes_meta(d->out[m].name);
        fputs(", \"unit\": ", stdout);
        qm_json_str(stdout, mt ? mt->unit : "");
        fputs(", \"kind\": ", stdout);
        qm_json_str(stdout, mt ? qm_meta_kind_name(mt->kind) : "");
        fputs(", \"results\": [", stdout);
        for (int s = 0; s < S; s++)
            json_result(d->scen[s].name, &st[m * S + s], s == 0);
        fputs("]}", stdout);
    }
    fputs("]}\n", stdout);
}

/* The table in the format asked for, then the comparison file.  The exit
 * status. */
static int print_and_write(const cmp_opts *o, const qm_cmp *d, const qm_cmp_stat *st,
                           qm_outfile *of)
{
    char err[8192];
    int rc = 0;
    if (!strcmp(o->format, "json"))
        print_json(d, st, o->level);
    else if (!strcmp(o->format, "csv"))
        print_csv(d, st);
    else
        print_text(d, st, o->level);
    /* A reader that went away (`| head`: SIGPIPE is ignored, main.c) ends
     * the table, not the comparison: the file is still written. */
    if (fflush(stdout) != 0 && errno != EPIPE) {
        fprintf(stderr, "qmsim compare: cannot write the table: %s\n", strerror(errno));
        rc = 1;
    }
    if (of) {
        int w = qm_cmpfile_write_to(of, d, st, o->level, err, sizeof err);
        if (w != 0) {
            fprintf(stderr, "qmsim compare: %s\n", err);
            rc = w;
        } else if (!o->quiet)
            fprintf(stderr, "qmsim: wrote %s (%d scenarios, %d runs)\n", o->out, d->n_scen,
                    d->n_runs);
    }
    return rc;
}

/* See cli.h.  `qmsim compare ...`. */
int qm_cli_compare(int argc, char **argv)
{
    static cmp_opts o;
    qm_cmp d;
    memset(&o, 0, sizeof o);
    memset(&d, 0, sizeof d);
    int a = parse_args(argc, argv, &o);
    if (a != 0) {
        if (a > 0)
            qm_args_help(&qm_options_compare, stdout);
        else
            fputs(qm_options_compare.brief, stderr);
        return a > 0 ? 0 : 2;
    }
    if (o.out && !o.force && access(o.out, F_OK) == 0) {
        fprintf(stderr, "qmsim compare: %s exists (use --force to replace it)\n", o.out);
        return 2;
    }
    if (o.from_sweep && o.series && strcmp(o.series, "none") && strcmp(o.series, "all")) {
        fprintf(stderr, "qmsim compare: with --from-sweep, --series is all (the sweep's saved "
                        "series) or none\n");
        return 2;
    }
    /* The destination is checked and locked before any replication runs;
     * an interruption before the file is written removes what was taken. */
    char err[1024];
    qm_outfile *of = o.out ? qm_outfile_begin(o.out, o.force, err, sizeof err) : NULL;
    if (o.out && !of) {
        fprintf(stderr, "qmsim compare: %s\n", err);
        return 2;
    }
    qm_outfile_die_on_signals();
    int rc = gather(&o, &d);
    qm_cmp_stat *st = rc == 0 ? qm_stats_compare(&d, o.level) : NULL;
    if (rc == 0 && !st) {
        fprintf(stderr, "qmsim compare: out of memory\n");
        rc = 1;
    }
    if (rc == 0) {
        rc = print_and_write(&o, &d, st, of);
        of = NULL; /* consumed */
    }
    qm_outfile_discard(of);
    free(st);
    qm_cmp_free(&d);
    return rc;
}
