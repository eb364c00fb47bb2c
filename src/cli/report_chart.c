/* report_chart.c: the charts of `qmsim report`, drawn as SVG by one run of
 * gnuplot (found on PATH or named by $QMSIM_GNUPLOT) in a scratch
 * directory that is removed afterwards. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/report.h"
#include "qmsim/file.h"
#include "qmsim/meta.h"

extern char **environ;

#define QM_SVG_MAX ((size_t)64 << 20) /* bytes; a chart gnuplot drew */

static const char *const colours[] = {"#1f63b4", "#d9480f", "#2b8a3e", "#862e9c",
                                      "#c2255c", "#0b7285", "#5c940d", "#495057"};

/* gnuplot single-quoted string: ' doubled. */
static void gp_str(FILE *f, const char *s)
{
    fputc('\'', f);
    for (; s && *s; s++) {
        if (*s == '\'')
            fputc('\'', f);
        if (*s != '\n')
            fputc(*s, f);
    }
    fputc('\'', f);
}

/* The value k (0 the mean, 1 the low and 2 the high end of the band) of
 * chart i for scenario s at month t; NaN where there is none. */
static double at_month(const qm_cmpfile *cf, int i, int s, int k, int t)
{
    size_t at = ((size_t)i * (size_t)cf->n_scen + (size_t)s) * (size_t)cf->T + (size_t)t;
    const double *v = k == 0 ? cf->smean : k == 1 ? cf->slo : cf->shi;
    return v ? v[at] : NAN;
}

/* The value k of chart i for scenario s at point p of the x-axis: a
 * month, or with yearly the year p (months 12p to 12p + 11) aggregated as
 * the metadata m says (a flow's total, a stock's mean).  A year has no
 * band (the file keeps percentiles month by month only) and is NaN when
 * a month of it is. */
static double at_point(const qm_cmpfile *cf, const qm_meta *m, int yearly, int i, int s, int k,
                       int p)
{
    if (!yearly)
        return at_month(cf, i, s, k, p);
    if (k != 0)
        return NAN;
    double sum = 0.0;
    for (int t = 12 * p; t < 12 * p + 12; t++)
        sum += at_month(cf, i, s, 0, t);
    return m->agg == QM_AGG_SUM ? sum : sum / 12.0;
}

/* The points of the x-axis: months, or with yearly the whole years. */
static int n_points(const qm_cmpfile *cf, int yearly)
{
    return yearly ? cf->T / 12 : cf->T;
}

/* See report.h. */
void qm_report_axis(const qm_cmpfile *cf, int i, int yearly, rep_axis *ax)
{
    const qm_meta *m = qm_meta_get(cf->ser_names[i]);
    const char *per = m->time != QM_TIME_FLOW ? "" : yearly ? " a year" : " a month";
    double top = 0.0, bottom = 0.0;
    int P = n_points(cf, yearly);
    for (int s = 0; s < cf->n_scen; s++)
        for (int k = 0; k < 3; k++)
            for (int p = 0; p < P; p++) {
                double v = at_point(cf, m, yearly, i, s, k, p);
                if (isfinite(v)) {
                    top = v > top ? v : top;
                    bottom = v < bottom ? v : bottom;
                }
            }
    double big = fabs(top) > fabs(bottom) ? fabs(top) : fabs(bottom);
    memset(ax, 0, sizeof *ax);
    snprintf(ax->title, sizeof ax->title, "%s", m->label[0] ? m->label : cf->ser_names[i]);
    ax->scale = 1.0;
    ax->lo = m->lo == 0.0 ? 0.0 : NAN;
    ax->hi = NAN;
    switch (m->kind) {
    case QM_KIND_INDEX:
        ax->hi = 1.0;
        snprintf(ax->ylabel, sizeof ax->ylabel, "index, 0 to 1");
        break;
    case QM_KIND_SHARE:
        ax->scale = 0.01;
        ax->hi = 100.0;
        snprintf(ax->ylabel, sizeof ax->ylabel, "%%%s", per);
        break;
    case QM_KIND_MONEY: {
        const char *sfx = big >= 1e9 ? "bn" : big >= 1e6 ? "m" : big >= 1e3 ? "k" : "";
        ax->scale = big >= 1e9 ? 1e9 : big >= 1e6 ? 1e6 : big >= 1e3 ? 1e3 : 1.0;
        snprintf(ax->ylabel, sizeof ax->ylabel, "£%s%s", sfx, per);
        break;
    }
    case QM_KIND_MONTHS: snprintf(ax->ylabel, sizeof ax->ylabel, "months"); break;
    default:
        if (big >= 1e6) {
            ax->scale = 1e6;
            snprintf(ax->ylabel, sizeof ax->ylabel, "million %s%s", m->unit, per);
        } else if (big >= 1e4) {
            ax->scale = 1e3;
            snprintf(ax->ylabel, sizeof ax->ylabel, "thousand %s%s", m->unit, per);
        } else
            snprintf(ax->ylabel, sizeof ax->ylabel, "%s%s",
                     m->unit[0] ? m->unit : cf->ser_units[i], per);
    }
    if (!strcmp(ax->ylabel, "1"))
        ax->ylabel[0] = '\0';
    if (m->time == QM_TIME_STOCK && yearly && m->kind != QM_KIND_INDEX)
        snprintf(ax->ylabel + strlen(ax->ylabel), sizeof ax->ylabel - strlen(ax->ylabel),
                 ", mean of the year");
    /* Nothing above the floor: a range gnuplot can draw, from the floor. */
    if (ax->lo == 0.0 && isnan(ax->hi) && top <= 0.0)
        ax->hi = 1.0;
}

/* Writes the data file of chart i: the point (month, or year from 1),
 * then mean, low and high of each scenario in the axis's units ("?"
 * where there is none). */
static int chart_data(const qm_cmpfile *cf, int i, int yearly, const rep_axis *ax,
                      const char *dir)
{
    char path[4200];
    const qm_meta *m = qm_meta_get(cf->ser_names[i]);
    snprintf(path, sizeof path, "%s/c%d.dat", dir, i);
    FILE *d = fopen(path, "w");
    if (!d)
        return -1;
    for (int p = 0; p < n_points(cf, yearly); p++) {
        fprintf(d, "%d", yearly ? p + 1 : p);
        for (int s = 0; s < cf->n_scen; s++)
            for (int k = 0; k < 3; k++) {
                double v = at_point(cf, m, yearly, i, s, k, p);
                if (isfinite(v))
                    fprintf(d, " %.10g", v / ax->scale);
                else
                    fputs(" ?", d);
            }
        fputc('\n', d);
    }
    return fclose(d) != 0 ? -1 : 0;
}

/* Writes the data file and the plot command of chart i. */
static int chart_files(const rep_data *r, int i, int yearly, const char *dir, FILE *gp)
{
    const qm_cmpfile *cf = &r->cf;
    rep_axis ax;
    qm_report_axis(cf, i, yearly, &ax);
    if (chart_data(cf, i, yearly, &ax, dir) != 0)
        return -1;
    int P = n_points(cf, yearly);
    fprintf(gp, "set output '%s/c%d.svg'\n", dir, i);
    fputs("set title ", gp);
    gp_str(gp, ax.title);
    fputs("\nset ylabel ", gp);
    gp_str(gp, ax.ylabel);
    fputs("\nset xlabel ", gp);
    gp_str(gp, yearly ? "year of the run" : "month of the run");
    if (yearly)   /* half a year either side, so that no point sits on the border */
        fprintf(gp, "\nset xrange [0.5:%d.5]\nset xtics 1,%d\n", P, P > 12 ? (P + 11) / 12 : 1);
    else
        fprintf(gp, "\nset xrange [0:%d]\nset xtics autofreq\n", P > 1 ? P - 1 : 1);
    /* the bounds as numbers, or '*' for gnuplot to choose (reset every chart) */
    fputs("set yrange [", gp);
    if (isnan(ax.lo))
        fputc('*', gp);
    else
        fprintf(gp, "%.10g", ax.lo);
    fputc(':', gp);
    if (isnan(ax.hi))
        fputc('*', gp);
    else
        fprintf(gp, "%.10g", ax.hi);
    fputs("]\n", gp);
    fputs("plot ", gp);
    int first = 1;
    if (cf->slo && !yearly)
        for (int s = 0; s < cf->n_scen; s++) {
            fprintf(gp, "%s'%s/c%d.dat' using 1:%d:%d with filledcurves lc rgb '%s' "
                        "fs transparent solid 0.18 noborder notitle",
                    first ? "" : ", \\\n     ", dir, i, 3 + 3 * s, 4 + 3 * s, colours[s % 8]);
            first = 0;
        }
    for (int s = 0; s < cf->n_scen; s++) {
        fprintf(gp, "%s'%s/c%d.dat' using 1:%d with %s lw 2 lc rgb '%s' ",
                first ? "" : ", \\\n     ", dir, i, 2 + 3 * s,
                yearly ? "linespoints pt 7 ps 0.6" : "lines", colours[s % 8]);
        if (cf->n_scen > 1) {
            fputs("title ", gp);
            gp_str(gp, cf->scen[s].name);
        } else
            fputs("notitle", gp);
        first = 0;
    }
    fputc('\n', gp);
    return 0;
}

/* Prints the first lines of gnuplot's log after bin failed. */
static void show_log(const char *bin, const char *log)
{
    char line[512];
    FILE *f = fopen(log, "r");
    fprintf(stderr, "qmsim report: %s failed drawing the charts:\n", bin);
    for (int k = 0; f && k < 20 && fgets(line, sizeof line, f); k++)
        fprintf(stderr, "  %s", line);
    if (f)
        fclose(f);
}

/* Runs gnuplot on script, its output in log.  Returns 0, or 1 with a
 * message. */
static int run_gnuplot(const char *script, const char *log)
{
    const char *bin = getenv("QMSIM_GNUPLOT");
    if (!bin || !*bin)
        bin = "gnuplot";
    posix_spawn_file_actions_t fa;
    pid_t pid;
    char *argv[] = {(char *)bin, (char *)script, NULL};
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    int e = posix_spawnp(&pid, bin, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    int status = 0;
    if (e == 0)
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
    if (e == ENOENT || e == EACCES || (e == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 127)) {
        fprintf(stderr, "qmsim report: gnuplot draws the charts and '%s' was not found: install "
                        "Debian's gnuplot-nox (or set QMSIM_GNUPLOT to a gnuplot); no report written\n",
                bin);
        return 1;
    }
    if (e != 0) {
        fprintf(stderr, "qmsim report: cannot start %s: %s\n", bin, strerror(e));
        return 1;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        show_log(bin, log);
        return 1;
    }
    return 0;
}

/* Writes the script and data of every chart into dir and runs gnuplot.
 * Returns 0, or 1 with a message. */
static int draw(const rep_data *r, const char *dir, const char *script, const char *log)
{
    FILE *gp = fopen(script, "w");
    if (!gp) {
        fprintf(stderr, "qmsim report: cannot write %s: %s\n", script, strerror(errno));
        return 1;
    }
    fputs("set terminal svg size 560,330 noenhanced font 'Sans,11' background rgb 'white'\n"
          "set datafile missing '?'\n"
          "set grid lc rgb '#dddddd'\n"
          "set border lc rgb '#555555'\n"
          "set encoding utf8\n"
          "set key below horizontal center samplen 2 height 1\n"
          "set format y '%g'\n", gp);
    for (int i = 0; i < r->cf.n_ser; i++)
        if (chart_files(r, i, r->yearly, dir, gp) != 0) {
            fclose(gp);
            fprintf(stderr, "qmsim report: cannot write the chart data in %s\n", dir);
            return 1;
        }
    return fclose(gp) != 0 || run_gnuplot(script, log) != 0 ? 1 : 0;
}

int qm_report_charts(const rep_data *r, char **svg, size_t *svg_len)
{
    const char *tmp = getenv("TMPDIR");
    char dir[4096], path[4200], log[4200];
    int rc = 1;
    snprintf(dir, sizeof dir, "%s/qmsim-report-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        fprintf(stderr, "qmsim report: cannot make a temporary directory in %s: %s\n",
                tmp && *tmp ? tmp : "/tmp", strerror(errno));
        return 1;
    }
    snprintf(path, sizeof path, "%s/charts.gp", dir);
    snprintf(log, sizeof log, "%s/gnuplot.log", dir);
    if (draw(r, dir, path, log) != 0)
        goto out;
    for (int i = 0; i < r->cf.n_ser; i++) {
        snprintf(path, sizeof path, "%s/c%d.svg", dir, i);
        svg[i] = qm_file_read(path, QM_SVG_MAX, &svg_len[i]);
        if (!svg[i] || !strstr(svg[i], "<svg")) {
            fprintf(stderr, "qmsim report: gnuplot drew no chart for %s\n", r->cf.ser_names[i]);
            goto out;
        }
    }
    rc = 0;
out:
    for (int i = 0; i < r->cf.n_ser; i++) {
        snprintf(path, sizeof path, "%s/c%d.dat", dir, i);
        unlink(path);
        snprintf(path, sizeof path, "%s/c%d.svg", dir, i);
        unlink(path);
    }
    snprintf(path, sizeof path, "%s/charts.gp", dir);
    unlink(path);
    unlink(log);
    rmdir(dir);
    return rc;
}

/* ---- Shared with the calibration page (report_cal.c) ---- */

int qm_report_gnuplot(const char *script, const char *log)
{
    return run_gnuplot(script, log);
}
