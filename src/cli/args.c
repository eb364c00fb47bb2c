/* args.c: the argument parser and help printer of the qmsim command, both
 * driven by the table in options.c, and the checks the subcommands share. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/args.h"
#include "io/suggest.h"

/* Prints "qmsim CMD: " and fmt with one string argument, then a newline. */
static void say(const qm_cmd *c, const char *fmt, const char *arg)
{
    fprintf(stderr, "qmsim %s: ", c->name);
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
}

/* The option of c that a is (with --long=value, *val points after '=');
 * NULL when a is none. */
static const qm_opt *find(const qm_cmd *c, const char *a, const char **val)
{
    *val = NULL;
    for (const qm_opt *o = c->opts; o->lng; o++) {
        if (o->kind == QM_OPT_DOC)
            continue;
        if ((o->shrt && !strcmp(a, o->shrt)) || !strcmp(a, o->lng))
            return o;
        size_t n = strlen(o->lng);
        if ((c->flags & QM_CMD_EQUALS) && o->meta && !strncmp(a, o->lng, n) && a[n] == '=') {
            *val = a + n + 1;
            return o;
        }
    }
    return NULL;
}

/* The one wording of an unknown option, for every command: the nearest
 * option of c when one is near enough, and where the help is. */
static void unknown_option(const qm_cmd *c, const char *a)
{
    qm_suggest g;
    char typed[QM_SUGGEST_MAX + 1];
    snprintf(typed, sizeof typed, "%.*s", (int)strcspn(a, "="), a);
    qm_suggest_init(&g, typed, strlen(typed));
    for (const qm_opt *o = c->opts; o->lng; o++)
        if (o->kind != QM_OPT_DOC)
            qm_suggest_try(&g, o->lng, strlen(o->lng));
    fprintf(stderr, "qmsim %s: unknown option '%s'", c->name, a);
    if (g.best)
        fprintf(stderr, " (did you mean '%s'?)", g.best);
    fprintf(stderr, "; see 'qmsim %s --help'\n", c->name);
}

/* One option with its value (val, or the next argument when it takes one;
 * *i moves past it).  0, 1 for help, -1 after a message. */
static int one(const qm_cmd *c, const qm_opt *o, const char *a, const char *val, int *i,
               int argc, char **argv, qm_args_fn fn, void *ctx)
{
    long long num = 0;
    if (o->kind == QM_OPT_HELP)
        return 1;
    if (o->kind == QM_OPT_FLAG)
        return fn(ctx, o->id, a, NULL, 0);
    if (!val && *i + 1 < argc)
        val = argv[++*i];
    if (!val && o->missing) {
        say(c, o->missing, a);
        return -1;
    }
    if (o->kind == QM_OPT_INT && qm_args_integer(c->name, a, val, o->lo, o->hi, &num) != 0)
        return -1;
    return fn(ctx, o->id, a, val, num);
}

int qm_args_parse(const qm_cmd *c, int argc, char **argv, qm_args_fn fn, void *ctx)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *val;
        const qm_opt *o = find(c, a, &val);
        int rc;
        if (o)
            rc = one(c, o, a, val, &i, argc, argv, fn, ctx);
        else if (a[0] == '-' && (a[1] || !(c->flags & QM_CMD_DASH_ARG))) {
            unknown_option(c, a);
            rc = -1;
        } else
            rc = fn(ctx, QM_OPT_ARG, a, a, 0);
        if (rc != 0)
            return rc;
    }
    return 0;
}

void qm_args_row(FILE *f, int width, const char *left, const char *help)
{
    fprintf(f, "  %-*s ", width, left);
    for (const char *s = help; *s; s++) {
        fputc(*s, f);
        if (*s == '\n' && s[1])
            fprintf(f, "%*s", width + 3, "");
    }
    fputc('\n', f);
}

void qm_args_help(const qm_cmd *c, FILE *f)
{
    fputs(c->help, f);
    for (const qm_opt *o = c->opts; o->lng; o++) {
        char left[128];
        if (!o->help)
            continue;
        snprintf(left, sizeof left, "%s%s%s%s%s", o->shrt ? o->shrt : "", o->shrt ? ", " : "",
                 o->lng, o->meta ? " " : "", o->meta ? o->meta : "");
        qm_args_row(f, c->width, left, o->help);
    }
    if (c->tail)
        fputs(c->tail, f);
}

int qm_args_integer(const char *cmd, const char *opt, const char *s, long long lo,
                    long long hi, long long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s ? s : "", &end, 10);
    if (!s || !*s || *end || errno || v < lo || v > hi) {
        fprintf(stderr, "qmsim %s: %s expects an integer in [%lld, %lld], got '%s'\n", cmd, opt,
                lo, hi, s ? s : "");
        return -1;
    }
    *out = v;
    return 0;
}

int qm_args_set(const char *cmd, const char *s, const char **sets, int *n, int max)
{
    if (!s || !strchr(s, '=')) {
        fprintf(stderr, "qmsim %s: --set expects path.to.key=value\n", cmd);
        return -1;
    }
    if (*n == max) {
        fprintf(stderr, "qmsim %s: more than %d --set options\n", cmd, max);
        return -1;
    }
    sets[(*n)++] = s;
    return 0;
}

double qm_args_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
    stop_signal = sig;
}

/* See args.h. */
void qm_args_catch_stop(void)
{
    signal(SIGINT, on_stop);
    signal(SIGTERM, on_stop);
}

/* See args.h. */
int qm_args_stopped(void *ctx)
{
    (void)ctx;
    return stop_signal != 0;
}

static char **kept_argv;

void qm_args_keep_argv(char **argv)
{
    kept_argv = argv;
}

void qm_args_wait_passively(void)
{
    if (!kept_argv || getenv("OMP_WAIT_POLICY") || setenv("OMP_WAIT_POLICY", "passive", 1) != 0)
        return;
    execv("/proc/self/exe", kept_argv);
}
