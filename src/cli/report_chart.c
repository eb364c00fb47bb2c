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

/* Writes the data file of chart i: month, then mean, low and high of
 * each scenario ("?" where there is none). */
static int chart_data(const qm_cmpfile *cf, int i, const char *dir)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/c%d.dat", dir, i);
    FILE *d = fopen(path, "w");
    if (!d)
        return -1;
    for (int t = 0; t < cf->T; t++) {
        fprintf(d, "%d", t);
        for (int s = 0; s < cf->n_scen; s++) {
            size_t at = ((size_t)i * (size_t)cf->n_scen + (size_t)s) * (size_t)cf->T + (size_t)t;
            double v[3] = {cf->smean[at], cf->slo ? cf->slo[at] : NAN,
                           cf->shi ? cf->shi[at] : NAN};
            for (int k = 0; k < 3; k++) {
                if (isfinite(v[k]))
                    fprintf(d, " %.10g", v[k]);
                else
                    fputs(" ?", d);
            }
        }
        fputc('\n', d);
    }
    return fclose(d) != 0 ? -1 : 0;
}

/* Writes the data file and the plot command of chart i. */
static int chart_files(const rep_data *r, int i, const char *dir, FILE *gp)
{
    const qm_cmpfile *cf = &r->cf;
    if (chart_data(cf, i, dir) != 0)
        return -1;
    fprintf(gp, "set output '%s/c%d.svg'\n", dir, i);
    fputs("set title ", gp);
    gp_str(gp, cf->ser_names[i]);
    fputs("\nset ylabel ", gp);
    gp_str(gp, cf->ser_units[i]);
    fputs("\nplot ", gp);
    int first = 1;
    if (cf->slo)
        for (int s = 0; s < cf->n_scen; s++) {
            fprintf(gp, "%s'%s/c%d.dat' using 1:%d:%d with filledcurves lc rgb '%s' "
                        "fs transparent solid 0.18 noborder notitle",
                    first ? "" : ", \\\n     ", dir, i, 3 + 3 * s, 4 + 3 * s, colours[s % 8]);
            first = 0;
        }
    for (int s = 0; s < cf->n_scen; s++) {
        fprintf(gp, "%s'%s/c%d.dat' using 1:%d with lines lw 2 lc rgb '%s' ",
                first ? "" : ", \\\n     ", dir, i, 2 + 3 * s, colours[s % 8]);
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
          "set key below\n"
          "set xlabel 'month'\n"
          "set format y '%.3g'\n", gp);
    for (int i = 0; i < r->cf.n_ser; i++)
        if (chart_files(r, i, dir, gp) != 0) {
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
