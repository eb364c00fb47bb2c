/* cores.c: how long one cache line takes to go from one core to another
 * (bench/README.md, "How many threads a run uses").  Two threads pinned
 * to the first two usable cores pass a counter back and forth; each pass
 * moves the line once.  A run's parallel passes pay this for every line
 * one thread wrote and the other reads, so it bounds what a second thread
 * can save on a month whose data changes hands between phases.
 * usage: qmsim-bench-cores [PASSES]; prints one JSON line. */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static _Alignas(64) _Atomic long counter;
static long passes = 2000000;
static int cores[2];

static void pin(int cpu)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    pthread_setaffinity_np(pthread_self(), sizeof set, &set);
}

/* Waits for the counter to reach each of its turns and passes it on. */
static void play(long first)
{
    for (long i = first; i < passes; i += 2) {
        while (atomic_load_explicit(&counter, memory_order_acquire) != i)
            ;
        atomic_store_explicit(&counter, i + 1, memory_order_release);
    }
}

static void *second(void *arg)
{
    (void)arg;
    pin(cores[1]);
    play(1);
    return NULL;
}

int main(int argc, char **argv)
{
    cpu_set_t set;
    int n = 0;
    if (argc > 1 && (passes = strtol(argv[1], NULL, 10)) < 2) {
        fprintf(stderr, "qmsim-bench-cores: PASSES must be at least 2\n");
        return 2;
    }
    if (sched_getaffinity(0, sizeof set, &set) == 0)
        for (int c = 0; c < CPU_SETSIZE && n < 2; c++)
            if (CPU_ISSET(c, &set))
                cores[n++] = c;
    if (n < 2) {
        printf("{\"cores\": %d, \"one_way_ns\": null}\n", n);
        return 0;
    }
    pthread_t t;
    struct timespec a, b;
    pin(cores[0]);
    if (pthread_create(&t, NULL, second, NULL) != 0) {
        fprintf(stderr, "qmsim-bench-cores: cannot start a thread\n");
        return 1;
    }
    clock_gettime(CLOCK_MONOTONIC, &a);
    play(0);
    pthread_join(t, NULL);
    clock_gettime(CLOCK_MONOTONIC, &b);
    double ns = (double)(b.tv_sec - a.tv_sec) * 1e9 + (double)(b.tv_nsec - a.tv_nsec);
    printf("{\"cores\": [%d, %d], \"passes\": %ld, \"one_way_ns\": %.1f}\n", cores[0], cores[1],
           passes, ns / (double)passes);
    return 0;
}
