/* report_cal.c: the page `qmsim report` writes for a calibration result
 * (docs/calibration.md): the posterior's marginals and pairs, tolerance
 * and acceptance by generation, the targets (what each compares), and
 * each target's observed value or band against the posterior predictive
 * distribution (the simulated target values of the last generation's
 * particles, weighted).  Charts are drawn
 * by gnuplot as for the other pages, with the same helpers. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/report.h"
#include "qmsim/calibrate.h"
#include "qmsim/file.h"

#define BINS 20                /* of a weighted histogram */
#define MAX_PAIRS 15           /* pairwise plots shown (the first parameters') */
#define SVG_MAX ((size_t)64 << 20)

/* Where the charts are drawn: a scratch directory and its files. */
typedef struct cal_charts {
    char dir[4096];
    int n;                     /* charts */
    char **svg;
    size_t *len;
    char **caption;
} cal_charts;

/* A weighted histogram of x (n values, weights w) over [lo, hi] into
 * dir/cN.dat as "centre density" rows. */
static int histogram(const char *path, const double *x, const double *w, int n, size_t stride,
                     double lo, double hi)
{
    double h[BINS] = {0}, width = (hi - lo) / BINS;
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    for (int i = 0; i < n; i++) {
        double v = x[(size_t)i * stride];
        if (!isfinite(v))
            continue;
        int b = width > 0 ? (int)floor((v - lo) / width) : 0;
        b = b < 0 ? 0 : b >= BINS ? BINS - 1 : b;
        h[b] += w[i];
    }
    for (int b = 0; b < BINS; b++)
        fprintf(f, "%.10g %.10g\n", lo + (b + 0.5) * width, width > 0 ? h[b] / width : h[b]);
    return fclose(f);
}

/* The range of x (n values, stride apart), widened by the target when one
 * is given; a point becomes a small interval. */
static void span(const double *x, int n, size_t stride, double a, double b, double *lo,
                 double *hi)
{
    *lo = isfinite(a) ? a : HUGE_VAL;
    *hi = isfinite(b) ? b : -HUGE_VAL;
    for (int i = 0; i < n; i++) {
        double v = x[(size_t)i * stride];
        if (isfinite(v))
            *lo = v < *lo ? v : *lo, *hi = v > *hi ? v : *hi;
    }
    if (!(*lo < *hi)) {
        double c = isfinite(*lo) ? *lo : 0.0, d = fabs(c) > 0 ? 0.1 * fabs(c) : 1.0;
        *lo = c - d, *hi = c + d;
    }
}

static void gp_title(FILE *gp, const char *t)
{
    fputs("set title '", gp);
    for (; *t; t++)
        fputs(*t == '\'' ? "''" : (char[]){*t, 0}, gp);
    fputs("'\n", gp);
}

/* Chart c: begins its output and resets what the last chart set. */
static void chart_begin(FILE *gp, const cal_charts *ch, int c, const char *title)
{
    fprintf(gp, "set output '%s/c%d.svg'\nunset arrow\nunset object\nunset y2tics\n"
            "set ytics mirror\nunset logscale\nset autoscale\n", ch->dir, c);
    gp_title(gp, title);
}

static int add_caption(cal_charts *ch, const char *fmt, const char *a, const char *b)
{
    char buf[600];
    snprintf(buf, sizeof buf, fmt, a, b);
    ch->caption[ch->n] = strdup(buf);
    return ch->caption[ch->n++] ? 0 : -1;
}

/* Marginals of the posterior against the prior's range. */
static int marginals(FILE *gp, cal_charts *ch, const qm_calresult *r, int g)
{
    char path[4200];
    for (int j = 0; j < r->n_params; j++) {
        int c = ch->n;
        snprintf(path, sizeof path, "%s/c%d.dat", ch->dir, c);
        if (histogram(path, &r->theta[g][j], r->weight[g], r->gen_n[g], (size_t)r->n_params,
                      r->prior_min[j], r->prior_max[j]))
            return -1;
        chart_begin(gp, ch, c, r->param_names[j]);
        fprintf(gp, "set xlabel 'value (the x range is the prior''s)'\nset ylabel 'density'\n"
                "set xrange [%.10g:%.10g]\n"
                "set arrow from %.10g, graph 0 to %.10g, graph 1 nohead lc rgb '#d9480f' lw 2\n"
                "set arrow from %.10g, graph 0 to %.10g, graph 1 nohead dt 2 lc rgb '#555555'\n"
                "set arrow from %.10g, graph 0 to %.10g, graph 1 nohead dt 2 lc rgb '#555555'\n"
                "plot '%s' using 1:2 with boxes fs solid 0.5 lc rgb '#1f63b4' title 'posterior'\n",
                r->prior_min[j], r->prior_max[j], r->median[j], r->median[j], r->lo[j], r->lo[j], r->hi[j],
                r->hi[j], path);
        if (add_caption(ch, "Posterior of %s%s: median (solid) and 90 %% interval (dashed)",
                        r->param_names[j], ""))
            return -1;
    }
    return 0;
}

/* Pairwise scatter plots of the last generation. */
static int pairs(FILE *gp, cal_charts *ch, const qm_calresult *r, int g)
{
    char path[4200];
    int shown = 0, d = r->n_params;
    for (int a = 0; a < d; a++)
        for (int b = a + 1; b < d && shown < MAX_PAIRS; b++, shown++) {
            int c = ch->n;
            snprintf(path, sizeof path, "%s/c%d.dat", ch->dir, c);
            FILE *f = fopen(path, "w");
            if (!f)
                return -1;
            for (int i = 0; i < r->gen_n[g]; i++)
                fprintf(f, "%.10g %.10g\n", r->theta[g][(size_t)i * d + a],
                        r->theta[g][(size_t)i * d + b]);
            if (fclose(f))
                return -1;
            chart_begin(gp, ch, c, "");
            fprintf(gp, "set xlabel '%s'\nset ylabel '%s'\nplot '%s' using 1:2 with points "
                    "pt 7 ps 0.5 lc rgb '#1f63b4' notitle\n", r->param_names[a],
                    r->param_names[b], path);
            char pair[400];
            snprintf(pair, sizeof pair, "%s (across) and %s (up)", r->param_names[a],
                     r->param_names[b]);
            char corr[64];
            snprintf(corr, sizeof corr, "%.2f", r->corr[a * d + b]);
            if (add_caption(ch, "Posterior particles: %s; weighted correlation %s", pair, corr))
                return -1;
        }
    return 0;
}

/* Tolerance and acceptance by generation. */
static int by_generation(FILE *gp, cal_charts *ch, const qm_calresult *r)
{
    char path[4200];
    int c = ch->n;
    snprintf(path, sizeof path, "%s/c%d.dat", ch->dir, c);
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    for (int g = 0; g < r->n_gens; g++) {
        if (isfinite(r->gen_tolerance[g]))
            fprintf(f, "%d %.10g %.10g\n", g, r->gen_tolerance[g], r->gen_acceptance[g]);
        else
            fprintf(f, "%d ? %.10g\n", g, r->gen_acceptance[g]);
    }
    if (fclose(f))
        return -1;
    chart_begin(gp, ch, c, "tolerance and acceptance by generation");
    fprintf(gp, "set xlabel 'generation'\nset ylabel 'tolerance'\nset y2label 'acceptance'\n"
            "set y2tics\nset ytics nomirror\nset xtics 1\nset yrange [0:*]\nset y2range [0:1]\n"
            "plot '%s' using 1:2 with linespoints lc rgb '#1f63b4' pt 7 title 'tolerance', "
            "'' using 1:3 axes x1y2 with linespoints lc rgb '#d9480f' pt 5 title 'acceptance'\n"
            "unset y2label\nset xtics autofreq\n", path);
    return add_caption(ch, "Tolerance (left; generation 0 accepts all) and the share of "
                       "attempts accepted (right) by generation%s%s", "", "");
}

/* Each target: the posterior predictive against its observed value or band. */
static int targets(FILE *gp, cal_charts *ch, const qm_calresult *r, int g)
{
    char path[4200];
    int m = r->n_targets;
    for (int t = 0; t < m; t++) {
        int c = ch->n;
        double a = r->is_band[t] ? r->band_lo[t] : r->observed[t] - r->tolerance[t];
        double b = r->is_band[t] ? r->band_hi[t] : r->observed[t] + r->tolerance[t];
        double lo, hi;
        span(&r->values[g][t], r->gen_n[g], (size_t)m, a, b, &lo, &hi);
        double pad = 0.05 * (hi - lo);
        snprintf(path, sizeof path, "%s/c%d.dat", ch->dir, c);
        if (histogram(path, &r->values[g][t], r->weight[g], r->gen_n[g], (size_t)m, lo - pad,
                      hi + pad))
            return -1;
        chart_begin(gp, ch, c, r->target_names[t]);
        fprintf(gp, "set xlabel 'simulated value'\nset ylabel 'density'\nset xrange [%.10g:%.10g]\n"
                "set object rect from %.10g, graph 0 to %.10g, graph 1 fc rgb '#2b8a3e' "
                "fs transparent solid 0.15 noborder behind\n", lo - pad, hi + pad, a, b);
        if (!r->is_band[t])
            fprintf(gp, "set arrow from %.10g, graph 0 to %.10g, graph 1 nohead lc rgb "
                    "'#2b8a3e' lw 2\n", r->observed[t], r->observed[t]);
        fprintf(gp, "plot '%s' using 1:2 with boxes fs solid 0.5 lc rgb '#1f63b4' title "
                "'posterior predictive'\n", path);
        if (add_caption(ch, r->is_band[t] ? "%s: the band (shaded) against the values the "
                                            "posterior's particles simulated%s"
                                          : "%s: the observed value (line) give or take its "
                                            "tolerance (shaded) against the values the "
                                            "posterior's particles simulated%s",
                        r->target_names[t], ""))
            return -1;
    }
    return 0;
}

/* Draws every chart into ch.  0, or 1 after a message. */
static int draw(cal_charts *ch, const qm_calresult *r)
{
    int g = qm_calresult_last(r), most = r->n_params + MAX_PAIRS + 1 + r->n_targets;
    char script[4200], log[4200];
    ch->svg = calloc((size_t)most, sizeof *ch->svg);
    ch->len = calloc((size_t)most, sizeof *ch->len);
    ch->caption = calloc((size_t)most, sizeof *ch->caption);
    snprintf(script, sizeof script, "%s/charts.gp", ch->dir);
    snprintf(log, sizeof log, "%s/gnuplot.log", ch->dir);
    FILE *gp = ch->svg && ch->len && ch->caption ? fopen(script, "w") : NULL;
    if (!gp) {
        fprintf(stderr, "qmsim report: cannot write the charts in %s\n", ch->dir);
        return 1;
    }
    fputs("set terminal svg size 480,320 noenhanced font 'Sans,11' background rgb 'white'\n"
          "set datafile missing '?'\nset grid lc rgb '#dddddd'\nset border lc rgb '#555555'\n"
          "set key below\nset format y '%.3g'\nset boxwidth 0.9 relative\n", gp);
    int bad = marginals(gp, ch, r, g) || pairs(gp, ch, r, g)
              || by_generation(gp, ch, r) || targets(gp, ch, r, g);
    if (fclose(gp) || bad) {
        fprintf(stderr, "qmsim report: cannot write the chart data in %s\n", ch->dir);
        return 1;
    }
    if (qm_report_gnuplot(script, log))
        return 1;
    for (int c = 0; c < ch->n; c++) {
        char p[4200];
        snprintf(p, sizeof p, "%s/c%d.svg", ch->dir, c);
        ch->svg[c] = qm_file_read(p, SVG_MAX, &ch->len[c]);
        if (!ch->svg[c] || !strstr(ch->svg[c], "<svg")) {
            fprintf(stderr, "qmsim report: gnuplot drew no chart %d\n", c);
            return 1;
        }
    }
    return 0;
}

static void cleanup(cal_charts *ch, int most)
{
    char p[4200];
    for (int c = 0; c < most; c++) {
        snprintf(p, sizeof p, "%s/c%d.dat", ch->dir, c);
        unlink(p);
        snprintf(p, sizeof p, "%s/c%d.svg", ch->dir, c);
        unlink(p);
        if (ch->svg)
            free(ch->svg[c]);
        if (ch->caption)
            free(ch->caption[c]);
    }
    snprintf(p, sizeof p, "%s/charts.gp", ch->dir);
    unlink(p);
    snprintf(p, sizeof p, "%s/gnuplot.log", ch->dir);
    unlink(p);
    rmdir(ch->dir);
    free(ch->svg);
    free(ch->len);
    free(ch->caption);
}

/* The targets: what each measures on which scenario, against which, and
 * the posterior predictive mean of its simulated values. */
static void targets_table(FILE *f, const qm_calresult *r)
{
    int g = qm_calresult_last(r), m = r->n_targets;
    fputs("<h2>Targets</h2>\n<table>\n<tr><th>target</th><th>scenario</th><th>relative to</th>"
          "<th>relation</th><th>observed or band</th><th>posterior predictive mean</th></tr>\n",
          f);
    for (int t = 0; t < m; t++) {
        double s = 0.0, w = 0.0;
        for (int i = 0; g >= 0 && i < r->gen_n[g]; i++) {
            double v = r->values[g][(size_t)i * (size_t)m + (size_t)t];
            if (isfinite(v))
                s += r->weight[g][i] * v, w += r->weight[g][i];
        }
        fputs("<tr><td>", f);
        qm_report_esc(f, r->target_names[t]);
        fputs("</td><td>", f);
        qm_report_esc(f, r->target_scenarios ? r->target_scenarios[t] : "base");
        fputs("</td><td>", f);
        qm_report_esc(f, r->target_relative ? r->target_relative[t] : "");
        fputs("</td><td>", f);
        qm_report_esc(f, r->target_relations ? r->target_relations[t] : "");
        if (r->is_band[t])
            fprintf(f, "</td><td>[%.4g, %.4g]", r->band_lo[t], r->band_hi[t]);
        else
            fprintf(f, "</td><td>%.4g &plusmn; %.4g", r->observed[t], r->tolerance[t]);
        if (w > 0.0)
            fprintf(f, "</td><td>%.4g</td></tr>\n", s / w);
        else
            fputs("</td><td>none</td></tr>\n", f);
    }
    fputs("</table>\n", f);
}

static void table(FILE *f, const qm_calresult *r)
{
    fputs("<h2>Posterior</h2>\n<table>\n<tr><th>parameter</th><th>path</th><th>prior range</th>"
          "<th>mean</th><th>median</th><th>5 %</th><th>95 %</th></tr>\n", f);
    for (int j = 0; j < r->n_params; j++) {
        fputs("<tr><td>", f);
        qm_report_esc(f, r->param_names[j]);
        fputs("</td><td><code>", f);
        qm_report_esc(f, r->param_paths[j]);
        fprintf(f, "</code></td><td>[%.4g, %.4g]</td><td>%.4g</td><td>%.4g</td><td>%.4g</td>"
                "<td>%.4g</td></tr>\n", r->prior_min[j], r->prior_max[j], r->mean[j], r->median[j], r->lo[j],
                r->hi[j]);
    }
    fputs("</table>\n", f);
    targets_table(f, r);
    fputs("<h2>Generations</h2>\n<table>\n<tr><th>generation</th><th>tolerance</th>"
          "<th>acceptance</th><th>ESS</th><th>simulations</th></tr>\n", f);
    for (int g = 0; g < r->n_gens; g++)
        fprintf(f, "<tr><td>%d</td><td>%.4g</td><td>%.1f %%</td><td>%.1f</td><td>%ld</td></tr>\n",
                g, r->gen_tolerance[g], 100 * r->gen_acceptance[g], r->gen_ess[g],
                r->gen_simulations[g]);
    fputs("</table>\n", f);
}

static int page(FILE *f, const rep_opts *o, const qm_calresult *r, const cal_charts *ch)
{
    const char *title = o->title ? o->title : "qmsim calibration";
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>", f);
    qm_report_esc(f, title);
    fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>", qm_report_css());
    qm_report_esc(f, title);
    fputs("</h1>\n<p class=\"meta\">From <code>", f);
    qm_report_esc(f, o->in);
    fprintf(f, "</code>: %s, seed %llu, %d generation%s; ", r->algorithm,
            (unsigned long long)r->seed, r->n_gens, r->n_gens == 1 ? "" : "s");
    qm_report_esc(f, r->stop ? r->stop : "");
    fputs(". Written by qmsim ", f);
    qm_report_esc(f, r->version ? r->version : "?");
    fputs(".</p>\n", f);
    table(f, r);
    fputs("<h2>Charts</h2>\n", f);
    for (int c = 0; c < ch->n; c++) {
        fputs("<figure><img alt=\"chart\" src=\"data:image/svg+xml;base64,", f);
        qm_report_base64(f, (const unsigned char *)ch->svg[c], ch->len[c]);
        fputs("\"><figcaption>", f);
        qm_report_esc(f, ch->caption[c]);
        fputs("</figcaption></figure>\n", f);
    }
    fputs("<details><summary>The calibration file</summary>\n<pre>", f);
    qm_report_esc(f, r->cal_text);
    fputs("</pre></details>\n</body>\n</html>\n", f);
    return ferror(f) ? -1 : 0;
}

typedef struct {
    const rep_opts *o;
    const qm_calresult *r;
    const cal_charts *ch;
} cal_page;

static int emit_cal_page(FILE *f, const void *ctx)
{
    const cal_page *p = ctx;
    return page(f, p->o, p->r, p->ch);
}

int qm_report_cal(const rep_opts *o, qm_outfile *of)
{
    qm_calresult r;
    char err[1024];
    if (qm_calresult_read(o->in, &r, err, sizeof err) != 0) {
        fprintf(stderr, "qmsim report: %s\n", err);
        qm_outfile_discard(of);
        return 1;
    }
    cal_charts ch;
    memset(&ch, 0, sizeof ch);
    const char *tmp = getenv("TMPDIR");
    int rc = 1, most = r.n_params + MAX_PAIRS + 1 + r.n_targets;
    snprintf(ch.dir, sizeof ch.dir, "%s/qmsim-report-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(ch.dir)) {
        fprintf(stderr, "qmsim report: cannot make a temporary directory: %s\n", strerror(errno));
        qm_calresult_free(&r);
        qm_outfile_discard(of);
        return 1;
    }
    rc = draw(&ch, &r);
    if (rc == 0) {
        cal_page p = {o, &r, &ch};
        rc = qm_report_commit(of, emit_cal_page, &p);
        if (rc == 0)
            fprintf(stderr, "qmsim: wrote %s (a calibration of %d parameters to %d targets)\n",
                    o->out, r.n_params, r.n_targets);
    } else {
        qm_outfile_discard(of);
    }
    cleanup(&ch, most);
    qm_calresult_free(&r);
    return rc;
}
