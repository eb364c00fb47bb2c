/* run.c: `qmsim run`: scenario -> state -> step -> observer -> writer. */
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "qmsim/narrate.h"
#include "cli/print.h"
#include "qmsim/check.h"
#include "qmsim/qmsim.h"

#define MAX_SETS 256

typedef struct run_opts {
    const char *scenario;
    const char *out;
    const char *sets[MAX_SETS + 2];
    int n_sets;
    char seed_set[64], months_set[64];
    long long replicate;
    int threads;
    int quiet, force;
    int check;              /* --check: invariants every month */
    int narrate;            /* --narrate: the story on stdout (cli/narrate.c) */
    const char *narrate_filter; /* --narrate-filter NAME */
    double max_memory;      /* bytes; --max-memory, default half the RAM */
    int scale;              /* --scale K: K copies of every entity group */
    int writer_core;        /* the writer compresses panels or events on a core of its own */
    int team;               /* threads the model's passes use (qm_sim_plan_threads) */
} run_opts;

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    interrupted = sig;
}

/* Parses SIZE: bytes, or a number with a K, M, G or T suffix (powers of
 * 1024, optionally followed by "B" or "iB"), at least 1 byte and finite.
 * Returns 0, or -1 after printing a message. */
static int parse_size(const char *opt, const char *s, double *out)
{
    char *end;
    double v = s ? strtod(s, &end) : 0.0, scale = 1.0;
    if (s && *s && end != s) {
        switch (*end) {
        case 'k': case 'K': scale = 1024.0; end++; break;
        case 'm': case 'M': scale = 1024.0 * 1024.0; end++; break;
        case 'g': case 'G': scale = 1024.0 * 1024.0 * 1024.0; end++; break;
        case 't': case 'T': scale = 1024.0 * 1024.0 * 1024.0 * 1024.0; end++; break;
        default: break;
        }
        if (scale > 1.0 && *end == 'i' && end[1] == 'B')
            end += 2;
        else if (*end == 'B')
            end++;
        v *= scale;
        if (!*end && isfinite(v) && v >= 1.0) {
            *out = v;
            return 0;
        }
    }
    fprintf(stderr, "qmsim run: %s expects a size such as 512M or 4G, got '%s'\n", opt,
            s ? s : "");
    return -1;
}

/* Half of the machine's RAM, or no limit when the system does not say. */
static double default_max_memory(void)
{
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    return pages > 0 && page > 0 ? 0.5 * (double)pages * (double)page : HUGE_VAL;
}

/* One option or argument of `qmsim run` (qm_args_fn). */
static int on_option(void *ctx, int id, const char *opt, const char *val, long long num)
{
    run_opts *o = ctx;
    switch (id) {
    case QM_O_RUN_QUIET: o->quiet = 1; return 0;
    case QM_O_RUN_FORCE: o->force = 1; return 0;
    case QM_O_RUN_CHECK: o->check = 1; return 0;
    case QM_O_RUN_NARRATE: o->narrate = 1; return 0;
    case QM_O_RUN_NARRATE_FILTER: o->narrate = 1, o->narrate_filter = val; return 0;
    case QM_O_RUN_MAX_MEMORY: return parse_size(opt, val, &o->max_memory);
    case QM_O_RUN_OUTPUT: o->out = val; return 0;
    case QM_O_RUN_SEED: snprintf(o->seed_set, sizeof o->seed_set, "seed=%lld", num); return 0;
    case QM_O_RUN_REPLICATE: o->replicate = num; return 0;
    case QM_O_RUN_MONTHS:
        snprintf(o->months_set, sizeof o->months_set, "months=%lld", num);
        return 0;
    case QM_O_RUN_SCALE: o->scale = (int)num; return 0;
    case QM_O_RUN_THREADS: o->threads = (int)num; return 0;
    case QM_O_RUN_SET: return qm_args_set("run", val, o->sets, &o->n_sets, MAX_SETS);
    default: break;
    }
    if (o->scenario) {
        fprintf(stderr, "qmsim run: more than one scenario given ('%s', '%s')\n", o->scenario, opt);
        return -1;
    }
    o->scenario = opt;
    return 0;
}

/* Returns 0, 1 for --help, or -1 on bad usage (message printed). */
static int parse_args(int argc, char **argv, run_opts *o)
{
    o->out = "qmsim-out.h5";
    o->threads = 1;
    o->scale = 1;
    int a = qm_args_parse(&qm_options_run, argc, argv, on_option, o);
    if (a != 0)
        return a;
    /* --seed and --months are overrides like any other key. */
    if (o->seed_set[0])
        o->sets[o->n_sets++] = o->seed_set;
    if (o->months_set[0])
        o->sets[o->n_sets++] = o->months_set;
    if (o->max_memory <= 0.0)
        o->max_memory = default_max_memory();
    return 0;
}

/* ---- Memory (docs/reliability.md) ---- */

/* Bytes of the frame buffers: the writer keeps flush_months frames and the
 * observer one more, each QM_S_N + QM_CP_N x C + QM_PP_N x P + QM_AP_N x A
 * doubles for C commissioner slots, P provider slots and A agencies. */
static double frame_bytes(double C, double P, double A, int flush_months)
{
    double doubles = QM_S_N + (double)QM_CP_N * C + (double)QM_PP_N * P + (double)QM_AP_N * A;
    return doubles * sizeof(double) * ((double)flush_months + 1.0);
}

/* Bytes as "1.5 GiB". */
static const char *human(double b, char *buf, size_t n)
{
    static const char *const unit[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    int u = 0;
    while (b >= 1024.0 && u < 6)
        b /= 1024.0, u++;
    snprintf(buf, n, u ? "%.1f %s" : "%.0f %s", b, unit[u]);
    return buf;
}

/* Refuses (message, -1) a run whose state and output buffers would need
 * more than max bytes; state is qm_sim_footprint's figure. */
static int memory_fits(double state, double frames, double max)
{
    char a[32], b[32], c[32], d[32];
    double need = state + frames;
    if (need <= max)
        return 0;
    fprintf(stderr,
            "qmsim run: the scenario would need about %s of memory (%.0f bytes: %s for the "
            "model state and %s for the output buffers), more than --max-memory allows (%s); "
            "make it smaller (fewer commissioners, providers, services or output.flush_months) "
            "or raise --max-memory\n",
            human(need, a, sizeof a), need, human(state, b, sizeof b), human(frames, c, sizeof c),
            human(max, d, sizeof d));
    return -1;
}

/* The scenario's memory before anything is allocated. */
static int scenario_fits(const qm_scenario *sc, double max)
{
    double P = sc->p.market.max_entrants, A = 0.0;
    for (int g = 0; g < sc->n_pgroups; g++)
        P += sc->pgroups[g].count;
    for (int g = 0; g < sc->n_agroups; g++)
        A += sc->agroups[g].count;
    double C = qm_sim_commissioner_slots(sc);
    /* sim.c counts slots in an int: beyond that its footprint means
     * nothing, and the commissioners and their contracts alone say enough. */
    double state = C > INT_MAX
        ? C * ((double)sizeof(qm_commissioner) + sc->n_services * (double)sizeof(qm_contract))
        : (double)qm_sim_footprint(sc);
    return memory_fits(state, frame_bytes(C, P, A, sc->p.output.flush_months), max);
}

static void progress_bar(int done, int total, double t0)
{
    double el = qm_args_now() - t0;
    double eta = done > 0 ? el * (total - done) / done : 0.0;
    int width = 40, fill = total > 0 ? width * done / total : width;
    fprintf(stderr, "\r[%.*s%*s] %d/%d months, ETA %.0f s ", fill,
            "########################################", width - fill, "", done, total, eta);
    if (done == total)
        fputc('\n', stderr);
}

/* Steps the simulation to its horizon, writing each month.  Returns 0, 1 on
 * a write failure, or 130 when interrupted. */
static int simulate(qm_sim *sim, qm_frame *f, qm_output *out, const run_opts *o)
{
    char err[512];
    int bar = !o->quiet && !o->narrate && isatty(STDERR_FILENO);
    double t0 = qm_args_now(), shown = 0.0;
    int narrate = o->narrate;
    while (sim->month < sim->months) {
        if (interrupted)
            return 130;
        qm_sim_step(sim);
        qm_observe(sim, f);
        if (narrate && qm_narrate_month(sim, f, o->narrate_filter, stdout) != 0)
            return 2;
        /* A reader that went away (`| head`, a closed terminal: SIGPIPE and
         * SIGHUP are ignored, main.c) ends the story, not the run. */
        if (narrate && ferror(stdout))
            narrate = 0;
        if (o->check && qm_check_state(sim, f, err, sizeof err) != 0) {
            if (bar)
                fputc('\n', stderr);
            fprintf(stderr, "qmsim run: --check: %s; no output written\n", err);
            return 1;
        }
        if (qm_output_write(out, f, err, sizeof err) != 0) {
            fprintf(stderr, "qmsim run: %s\n", err);
            return 1;
        }
        /* At most ten redraws a second, and always the last. */
        if (bar && (qm_args_now() - shown >= 0.1 || sim->month == sim->months)) {
            progress_bar(sim->month, sim->months, t0);
            shown = qm_args_now();
        }
    }
    return 0;
}

static int finish(qm_sim *sim, qm_output *out, const run_opts *o, double secs)
{
    char err[512];
    if (qm_output_close_sim(out, sim, err, sizeof err) != 0) {
        fprintf(stderr, "qmsim run: %s\n", err);
        return 1;
    }
    if (!o->quiet)
        fprintf(stderr, "qmsim: wrote %s (%d months, scenario '%s', seed %llu, replicate %lld, %.2f s)\n",
                o->out, sim->months, sim->sc->name, (unsigned long long)sim->seed, o->replicate, secs);
    /* Said, since --threads 2 can look as if it did nothing. */
    if (!o->quiet && o->team < o->threads)
        fprintf(stderr, "qmsim: the model ran on %d of the %d threads asked for (%s)\n",
                o->team, o->threads,
                o->writer_core && o->team == o->threads - 1 ? "the output writer had its own"
                                                           : "a state this size gains nothing from more");
    return 0;
}

/* Runs sc into the destination of, begun by the caller and taken over
 * here.  Returns the exit status, after a message. */
static int run_scenario(const qm_scenario *sc, const run_opts *o, qm_outfile *of)
{
    char err[512];
    qm_sim *sim = qm_sim_create(sc, sc->seed, (uint64_t)o->replicate, o->team, err, sizeof err);
    if (!sim) {
        fprintf(stderr, "qmsim run: %s\n", err);
        qm_outfile_discard(of);
        return 1;
    }
    /* The same sum with the sizes the state really has. */
    if (memory_fits((double)qm_sim_footprint(sc),
                    frame_bytes(sim->max_commissioners, sim->max_providers, sim->n_agencies,
                                sc->p.output.flush_months), o->max_memory) != 0) {
        qm_sim_free(sim);
        qm_outfile_discard(of);
        return 2;
    }
    char *resolved = qm_scenario_resolved_text(sc);
    qm_run_info info = {
        .version = QMSIM_VERSION, .scenario_name = sc->name,
        .scenario_source = sc->source_name, .scenario_text = sc->source_text,
        .resolved_text = resolved ? resolved : "", .seed = sc->seed,
        .replicate = (uint64_t)o->replicate, .generator = gsl_rng_name(sim->comm[0].rng),
        .threads = o->threads, .model_threads = o->team, .months = sc->months, .start_month = sc->start_month,
        .panels = sc->p.output.panels, .events = sc->p.output.events,
        .flush_months = sc->p.output.flush_months,
    };
    qm_frame *f = qm_frame_alloc(sim);
    qm_output *out = NULL;
    if (f)
        out = qm_output_create(of, &info, sim->max_commissioners, sim->max_providers,
                               sim->n_agencies, err, sizeof err);
    else
        qm_outfile_discard(of);
    free(resolved);
    int rc;
    if (!out) {
        /* The destination was accepted: this is a full disk or an I/O error. */
        fprintf(stderr, "qmsim run: %s\n", f ? err : "out of memory");
        rc = 1;
    } else {
        double t0 = qm_args_now();
        rc = simulate(sim, f, out, o);
        if (rc == 0)
            rc = finish(sim, out, o, qm_args_now() - t0);
        else {
            qm_output_abort(out);
            if (rc == 130)
                fprintf(stderr, "\nqmsim run: interrupted; no output written\n");
        }
    }
    qm_frame_free(f);
    qm_sim_free(sim);
    return rc;
}

int qm_cli_run(int argc, char **argv)
{
    static run_opts o;
    static qm_errors err;
    memset(&o, 0, sizeof o);
    int a = parse_args(argc, argv, &o);
    if (a != 0) {
        if (a > 0)
            qm_args_help(&qm_options_run, stdout);
        return a > 0 ? 0 : 2;
    }
    qm_scenario sc;
    if (qm_scenario_load(o.scenario, o.sets, o.n_sets, &sc, &err) != 0) {
        qm_print_errors(&err);
        return 2;
    }
    char msg[1024];
    if (o.scale > 1 && qm_scale_apply(&sc, o.scale, msg, sizeof msg) != 0) {
        fprintf(stderr, "qmsim run: --scale: %s\n", msg);
        qm_scenario_free(&sc);
        return 2;
    }
    /* The threads asked for are shared between the model and the writer,
     * and a small state keeps its passes on fewer (qmsim/sim.h); only a
     * run that uses a team starts itself again to wait passively. */
    o.writer_core = sc.p.output.panels || sc.p.output.events;
    o.team = qm_sim_plan_threads(o.threads, qm_sim_commissioner_slots(&sc) * sc.n_services,
                                 o.writer_core);
    if (o.team > 1)
        qm_args_wait_passively();
    if (sc.n_dropped > 0)
        fprintf(stderr, "qmsim run: warning: %d timeline event%s from month %d on dropped: "
                "the horizon is %d months\n", sc.n_dropped, sc.n_dropped == 1 ? "" : "s",
                sc.first_dropped, sc.months);
    if (scenario_fits(&sc, o.max_memory) != 0) {
        qm_scenario_free(&sc);
        return 2;
    }
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    /* Past a file-size limit (ulimit -f) a write fails with EFBIG and is
     * reported, instead of the signal killing the run. */
    signal(SIGXFSZ, SIG_IGN);
    /* The destination is checked and locked before any work (a signal
     * from here on stops the run at its first month, removing it). */
    qm_outfile *of = qm_outfile_begin(o.out, o.force, msg, sizeof msg);
    if (!of) {
        fprintf(stderr, "qmsim run: %s\n", msg);
        qm_scenario_free(&sc);
        return 2;
    }
    int rc = run_scenario(&sc, &o, of);
    qm_scenario_free(&sc);
    return rc;
}
