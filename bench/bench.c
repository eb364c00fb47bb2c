/* bench.c: measurements of the engine for bench/run.sh.  Not a test: it
 * prints one JSON object per measurement and never judges the figures.
 *
 *   qmsim-bench run SCENARIO [--scale K] [--threads T] [--output none|series|panels]
 *                            [--repeat N]
 *   qmsim-bench sweep SCENARIO RUNS [--scale K] [--threads T] [--repeat N]
 *
 * `run` times one run (state creation included); `sweep` times RUNS
 * replicates spread over T threads, one single-threaded run each, without
 * output.  With --repeat N the measurement is made N times and the median
 * is reported, with the fastest and slowest.  Peak memory is the process's
 * maximum resident set. */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "qmsim/qmsim.h"
#include "qmsim/scale.h"

#define MAX_REPEAT 99

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static long peak_kib(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

static void die(const char *msg)
{
    fprintf(stderr, "qmsim-bench: %s\n", msg);
    exit(2);
}

static qm_scenario load(const char *path, int scale)
{
    static qm_errors err;
    qm_scenario sc;
    char msg[256];
    if (qm_scenario_load(path, NULL, 0, &sc, &err) != 0)
        die(err.msg[0]);
    if (scale > 1 && qm_scale_apply(&sc, scale, msg, sizeof msg) != 0)
        die(msg);
    return sc;
}

/* One run; output to a temporary file unless mode is "none".  Returns the
 * number of contract-months simulated. */
static double one_run(const qm_scenario *sc, uint64_t rep, int threads, const char *mode)
{
    char err[512], path[64];
    qm_sim *sim = qm_sim_create(sc, sc->seed, rep, threads, err, sizeof err);
    if (!sim)
        die(err);
    qm_frame *f = qm_frame_alloc(sim);
    qm_output *out = NULL;
    if (strcmp(mode, "none") != 0) {
        int panels = strcmp(mode, "panels") == 0;
        qm_run_info info = {.version = QMSIM_VERSION, .scenario_name = sc->name,
                            .scenario_source = sc->source_name, .scenario_text = "",
                            .resolved_text = "", .seed = sc->seed, .replicate = rep,
                            .generator = qm_rng_names[sc->generator], .threads = threads, .months = sc->months,
                            .start_month = sc->start_month, .panels = panels, .events = panels,
                            .flush_months = sc->p.output.flush_months};
        snprintf(path, sizeof path, "/tmp/qmsim-bench-%ld.h5", (long)getpid());
        out = qm_output_open(path, 1, &info, sim->max_commissioners, sim->max_providers,
                             sim->n_agencies, err, sizeof err);
        if (!out)
            die(err);
    }
    double contract_months = 0.0;
    while (sim->month < sim->months) {
        qm_sim_step(sim);
        qm_observe(sim, f);
        contract_months += f->series[QM_S_CONTRACTS_ACTIVE];
        if (out && qm_output_write(out, f, err, sizeof err) != 0)
            die(err);
    }
    if (out) {
        qm_output_abort(out); /* the file is not kept; its writing was timed */
        unlink(path);
    }
    qm_frame_free(f);
    qm_sim_free(sim);
    return contract_months;
}

/* Runs replicates 0..runs-1 without output, one single-threaded run per
 * thread; returns the contract-months simulated. */
static double one_sweep(const qm_scenario *sc, int runs, int threads)
{
    double cm = 0.0;
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads) reduction(+ : cm)
    for (int r = 0; r < runs; r++)
        cm += one_run(sc, (uint64_t)r, 1, "none");
    return cm;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    if (argc < 3)
        die("usage: qmsim-bench run|sweep SCENARIO [RUNS] [--scale K] [--threads T] [--output MODE] "
            "[--repeat N]");
    const char *cmd = argv[1], *path = argv[2], *mode = "none";
    int scale = 1, threads = 1, runs = 1, repeat = 1, i = 3;
    if (!strcmp(cmd, "sweep")) {
        if (argc < 4)
            die("sweep needs a number of runs");
        runs = atoi(argv[3]);
        i = 4;
    }
    for (; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--scale"))
            scale = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--threads"))
            threads = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--output"))
            mode = argv[i + 1];
        else if (!strcmp(argv[i], "--repeat"))
            repeat = atoi(argv[i + 1]);
        else
            die("unknown option");
    }
    if (threads < 1 || runs < 1 || repeat < 1 || repeat > MAX_REPEAT)
        die("threads and runs must be positive, repeat in [1, 99]");
    qm_scenario sc = load(path, scale);
    /* The median of the repeats: a stray process on a small machine moves
     * one timing, not the figure. */
    double times[MAX_REPEAT], cm = 0.0;
    for (int k = 0; k < repeat; k++) {
        double t0 = now();
        cm = !strcmp(cmd, "run") ? one_run(&sc, 0, threads, mode) : one_sweep(&sc, runs, threads);
        times[k] = now() - t0;
    }
    qsort(times, (size_t)repeat, sizeof *times, cmp_double);
    double secs = repeat % 2 ? times[repeat / 2] : 0.5 * (times[repeat / 2 - 1] + times[repeat / 2]);
    printf("{\"command\": \"%s\", \"scenario\": \"%s\", \"scale\": %d, \"threads\": %d, "
           "\"output\": \"%s\", \"runs\": %d, \"repeats\": %d, \"seconds\": %.4f, "
           "\"seconds_min\": %.4f, \"seconds_max\": %.4f, \"peak_kib\": %ld, "
           "\"contract_months_per_second\": %.1f, \"runs_per_minute\": %.2f}\n",
           cmd, sc.name, scale, threads, mode, runs, repeat, secs, times[0], times[repeat - 1],
           peak_kib(), cm / secs, runs * 60.0 / secs);
    qm_scenario_free(&sc);
    return 0;
}
