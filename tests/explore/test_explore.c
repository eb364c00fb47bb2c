/* test_explore.c: the pure parts of the explorer (src/explore/): the JSON
 * builder and reader, request reading and checking, the reorganisation
 * written into a timeline, the catalogue and its limits, a month as JSON
 * (checked against the frame and the --narrate story), and the session
 * table's limit, busy flag, closing and idle reaping. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qmsim/narrate.h"
#include "explore/catalog.h"
#include "qmsim/json.h"
#include "explore/month.h"
#include "explore/request.h"
#include "explore/session.h"
#include "qmsim/qmsim.h"

#define ID "0123456789abcdef0123456789abcdef"

static char src_dir[1024];

static const char *source_dir(void)
{
    const char *s = getenv("QMSIM_SOURCE_DIR");
    snprintf(src_dir, sizeof src_dir, "%s", s && *s ? s : ".");
    return src_dir;
}

static qm_jval *parse(const char *text, char *err)
{
    return qm_json_parse(text, strlen(text), err, 256);
}

/* ---- JSON ---- */

START_TEST(test_jbuf)
{
    qm_jbuf b;
    size_t len;
    qm_jbuf_init(&b);
    qm_jbuf_raw(&b, "{");
    qm_jbuf_key(&b, "s");
    qm_jbuf_str(&b, "a\"b\\c\nd\x01\x7f");
    qm_jbuf_key(&b, "x");
    qm_jbuf_num(&b, 0.1);
    qm_jbuf_key(&b, "nan");
    qm_jbuf_num(&b, NAN);
    qm_jbuf_key(&b, "inf");
    qm_jbuf_num(&b, -INFINITY);
    qm_jbuf_key(&b, "z");
    qm_jbuf_num(&b, -0.0);
    qm_jbuf_key(&b, "l");
    qm_jbuf_raw(&b, "[");
    for (int i = 0; i < 3; i++) {
        qm_jbuf_sep(&b);
        qm_jbuf_printf(&b, "%d", i);
    }
    qm_jbuf_raw(&b, "]}");
    char *s = qm_jbuf_take(&b, &len);
    ck_assert_str_eq(s, "{\"s\":\"a\\\"b\\\\c\\u000ad\\u0001\x7f\",\"x\":0.10000000000000001,"
                        "\"nan\":null,\"inf\":null,\"z\":-0,\"l\":[0,1,2]}");
    ck_assert_uint_eq(len, strlen(s));
    /* What it writes, the reader reads back: the string and the exact double. */
    char err[256];
    qm_jval *v = parse(s, err);
    ck_assert_ptr_nonnull(v);
    ck_assert_str_eq(qm_json_get(v, "s")->str, "a\"b\\c\nd\x01\x7f");
    ck_assert(qm_json_get(v, "x")->num == 0.1);
    ck_assert_int_eq(qm_json_get(v, "nan")->type, QM_J_NULL);
    ck_assert_int_eq(qm_json_get(v, "l")->n, 3);
    qm_json_free(v);
    free(s);
    ck_assert_ptr_null(qm_jbuf_take(&b, NULL));   /* empty after the take */
}
END_TEST

START_TEST(test_json_read)
{
    char err[256];
    qm_jval *v = parse(" {\"a\": [1, -2.5e3, true, false, null, \"\\u00e9\\ud83d\\ude00\\t\"],"
                       " \"b\": {\"c\": {}}, \"d\": []} ", err);
    ck_assert_msg(v != NULL, "%s", err);
    const qm_jval *a = qm_json_get(v, "a");
    ck_assert_int_eq(a->type, QM_J_ARR);
    ck_assert_int_eq(a->n, 6);
    ck_assert_str_eq(a->items[1]->str, "-2.5e3");   /* numbers keep their text */
    ck_assert(a->items[1]->num == -2500.0);
    ck_assert_int_eq(a->items[2]->b, 1);
    ck_assert_str_eq(a->items[5]->str, "\xc3\xa9\xf0\x9f\x98\x80\t");
    ck_assert_int_eq(qm_json_get(qm_json_get(v, "b"), "c")->type, QM_J_OBJ);
    ck_assert_ptr_null(qm_json_get(v, "zz"));
    ck_assert_ptr_null(qm_json_get(a, "a"));         /* not an object */
    ck_assert_str_eq(qm_json_type_name(a), "a list");
    qm_json_free(v);
}
END_TEST

START_TEST(test_json_refuses)
{
    static const char *const bad[][2] = {
        {"", "empty"}, {"{", "ends"}, {"{\"a\":1,}", "expected a key"}, {"[1,]", "unexpected"},
        {"{\"a\":1 \"b\":2}", "expected ','"}, {"{\"a\":1,\"a\":2}", "twice"},
        {"\"\\u0000\"", "NUL"}, {"\"\\ud800\"", "surrogate"}, {"\"\\udc00x\"", "surrogate"},
        {"\"a\nb\"", "control"}, {"01", "after the end"}, {"1.", "malformed"}, {"-", "malformed"},
        {"1e", "malformed"}, {"tru", "unexpected"}, {"{} {}", "after the end"},
        {"\"\\x\"", "unknown escape"}, {"\"\\u12g4\"", "hex"}, {"{\"a\" 1}", "':'"},
        {"'a'", "unexpected"}, {"{1:2}", "key"}, {"\"abc", "ends inside"},
    };
    char err[256];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        qm_jval *v = parse(bad[i][0], err);
        ck_assert_msg(v == NULL, "accepted %s", bad[i][0]);
        ck_assert_msg(strstr(err, bad[i][1]) != NULL, "%s: %s", bad[i][0], err);
    }
    /* Nesting: 16 levels are read, 17 are not. */
    char deep[64] = "";
    for (int i = 0; i < 16; i++)
        strcat(deep, "[");
    for (int i = 0; i < 16; i++)
        strcat(deep, "]");
    qm_jval *v = parse(deep, err);
    ck_assert_msg(v != NULL, "%s", err);
    qm_json_free(v);
    memmove(deep + 1, deep, strlen(deep) + 1);
    deep[0] = '[';
    strcat(deep, "]");
    ck_assert_ptr_null(parse(deep, err));
    ck_assert(strstr(err, "deeper") != NULL);
    /* A NUL byte inside the text is not the end of it. */
    ck_assert_ptr_null(qm_json_parse("{}\0x", 4, err, sizeof err));
    /* Too many members. */
    char *many = malloc(4 * 2000 + 8);
    strcpy(many, "[");
    for (int i = 0; i < 1100; i++)
        strcat(many, i ? ",0" : "0");
    strcat(many, "]");
    ck_assert_ptr_null(parse(many, err));
    ck_assert(strstr(err, "1024") != NULL);
    free(many);
}
END_TEST

/* ---- Requests ---- */

static qm_xlimits lim;

static int setup_req(const char *body, qm_xsetup *out, qm_errors *err)
{
    memset(err, 0, sizeof *err);
    return qm_xreq_setup(body, strlen(body), &lim, out, err);
}

/* 1 when one of err's messages contains s. */
static int said(const qm_errors *err, const char *s)
{
    for (int i = 0; i < err->n && i < QM_ERR_MAX; i++)
        if (strstr(err->msg[i], s))
            return 1;
    return 0;
}

START_TEST(test_request_setup)
{
    static qm_xsetup r;
    static qm_errors err;
    qm_xlimits_default(&lim);
    int n = setup_req("{\"session\":\"" ID "\",\"scenario\":\"teaching/relational\",\"seed\":7,"
                      "\"months\":24,\"arms\":[{\"set\":{\"policy.tender_pressure\":0.50,"
                      "\"policy.open_market\":true,\"policy.payment_type\":\"activity\","
                      "\"agencies[1].turnover\":\"1e-2\"}},{\"set\":{},\"reorganisation\":"
                      "{\"month\":12,\"merge\":3}}]}", &r, &err);
    ck_assert_msg(n == 0, "%s", err.msg[0]);
    ck_assert_str_eq(r.session, ID);
    ck_assert_str_eq(r.scenario, "teaching/relational");
    ck_assert_int_eq(r.seed, 7);
    ck_assert_int_eq(r.months, 24);
    ck_assert_int_eq(r.n_arms, 2);
    ck_assert_int_eq(r.arm[0].n_sets, 4);
    ck_assert_str_eq(r.arm[0].sets[0], "policy.tender_pressure=0.50");
    ck_assert_str_eq(r.arm[0].sets[1], "policy.open_market=true");
    ck_assert_str_eq(r.arm[0].sets[2], "policy.payment_type=activity");
    ck_assert_str_eq(r.arm[0].sets[3], "agencies[1].turnover=1e-2");
    ck_assert_int_eq(r.arm[0].reorg.on, 0);
    ck_assert_int_eq(r.arm[1].reorg.on, 1);
    ck_assert_int_eq(r.arm[1].reorg.month, 12);
    ck_assert_int_eq(r.arm[1].reorg.merge, 3);
    /* Fields left out take the timeline registry's defaults. */
    ck_assert(r.arm[1].reorg.staff_loss == qm_params_find(qm_timeline_fields, "staff_loss")->def);
    /* Seed and months are optional. */
    ck_assert_int_eq(setup_req("{\"session\":\"" ID "\",\"scenario\":\"baseline\",\"arms\":[{}]}",
                               &r, &err), 0);
    ck_assert_int_eq(r.seed, -1);
    ck_assert_int_eq(r.months, 0);
}
END_TEST

START_TEST(test_request_refuses)
{
    static qm_xsetup r;
    static qm_errors err;
    static const char *const bad[][2] = {
        {"[]", "must be a JSON object"},
        {"{\"scenario\":\"baseline\",\"arms\":[{}]}", "names no session"},
        {"{\"session\":\"../../x\",\"scenario\":\"baseline\",\"arms\":[{}]}", "32 hex"},
        {"{\"session\":\"" ID "\",\"scenario\":\"../../etc/passwd\",\"arms\":[{}]}", "never a file path"},
        {"{\"session\":\"" ID "\",\"scenario\":\"/etc/passwd\",\"arms\":[{}]}", "never a file path"},
        {"{\"session\":\"" ID "\",\"scenario\":\"teaching/relational.cfg\",\"arms\":[{}]}", "never a file path"},
        {"{\"session\":\"" ID "\",\"scenario\":\"a//b\",\"arms\":[{}]}", "never a file path"},
        {"{\"session\":\"" ID "\",\"scenario\":7,\"arms\":[{}]}", "must name a scenario"},
        {"{\"session\":\"" ID "\",\"scenario\":\"baseline\",\"arms\":[]}", "a list of one"},
        {"{\"session\":\"" ID "\",\"scenario\":\"baseline\",\"arms\":[{},{},{}]}", "a list of one"},
        {"{\"session\":\"" ID "\",\"scenario\":\"baseline\",\"arms\":[{}],\"evil\":1}", "unknown field 'evil'"},
        {"{\"session\":\"" ID "\",\"scenario\":\"baseline\",\"arms\":[{\"x\":1}]}", "unknown field 'x' in arm 1"},
        {"{\"session\":\"" ID "\",\"scenario\":\"baseline\",\"arms\":[1]}", "arm 1 must be an object"},
        {"{\"session\":\"" ID "\",\"scenario\":\"baseline\",\"seed\":1.5,\"arms\":[{}]}", "whole number"},
        {"{\"session\":\"" ID "\",\"scenario\":\"baseline\",\"seed\":-1,\"arms\":[{}]}", "between 0"},
        {"{\"session\":\"" ID "\",\"scenario\":\"baseline\",\"seed\":99999999999999999999,\"arms\":[{}]}", "between 0"},
        {"{\"session\":\"" ID "\",\"scenario\":\"baseline\",\"months\":601,\"arms\":[{}]}", "between 1 and 600"},
        {"{\"session\":\"" ID "\",\"scenario\":\"baseline\",\"months\":\"12\",\"arms\":[{}]}", "whole number"},
        {"{\"session\":\"" ID "\",\"scenario\":\"baseline\",\"arms\":[{\"set\":{\"a=b\":1}}]}", "only letters"},
        {"{\"session\":\"" ID "\",\"scenario\":\"baseline\",\"arms\":[{\"set\":{\"../x\":1}}]}", "only letters"},
        {"{\"session\":\"" ID "\",\"scenario\":\"baseline\",\"arms\":[{\"set\":{\"\":1}}]}", "empty key"},
        {"{\"session\":\"" ID "\",\"scenario\":\"baseline\",\"arms\":[{\"set\":{\"a\":null}}]}", "must be a number"},
        {"{\"session\":\"" ID "\",\"scenario\":\"baseline\",\"arms\":[{\"set\":{\"a\":[1]}}]}", "must be a number"},
        {"{\"session\":\"" ID "\",\"scenario\":\"baseline\",\"arms\":[{\"set\":{\"a\":\"x\\ny\"}}]}", "control character"},
        {"{\"session\":\"" ID "\",\"scenario\":\"baseline\",\"arms\":[{\"set\":[]}]}", "object of settings"},
        {"{\"session\":\"" ID "\",\"scenario\":\"baseline\",\"arms\":[{\"reorganisation\":{}}]}", "give the month"},
        {"{\"session\":\"" ID "\",\"scenario\":\"baseline\",\"arms\":[{\"reorganisation\":{\"month\":3,\"staff_loss\":2}}]}", "from 0 to 1"},
        {"{\"session\":\"" ID "\",\"scenario\":\"baseline\",\"arms\":[{\"reorganisation\":{\"month\":3,\"merge\":0}}]}", "between 1 and 1000"},
        {"{\"session\":\"" ID "\",\"scenario\":\"baseline\",\"arms\":[{\"reorganisation\":{\"month\":3,\"rupture\":1}}]}", "unknown field 'rupture'"},
        {"{\"session\":\"" ID "\",\"scenario\":\"baseline\",\"arms\":[{\"reorganisation\":5}]}", "null or an object"},
    };
    qm_xlimits_default(&lim);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_msg(setup_req(bad[i][0], &r, &err) > 0, "accepted %s", bad[i][0]);
        ck_assert_msg(said(&err, bad[i][1]), "%s: %s", bad[i][0], err.msg[0]);
    }
    /* Too many settings, and a setting too long. */
    char *body = malloc(20000);
    strcpy(body, "{\"session\":\"" ID "\",\"scenario\":\"baseline\",\"arms\":[{\"set\":{");
    for (int i = 0; i < QM_X_SETS + 1; i++)
        sprintf(body + strlen(body), "%s\"k%d\":1", i ? "," : "", i);
    strcat(body, "}}]}");
    ck_assert_int_gt(setup_req(body, &r, &err), 0);
    ck_assert(said(&err, "at most 64"));
    sprintf(body, "{\"session\":\"" ID "\",\"scenario\":\"baseline\",\"arms\":[{\"set\":{\"k\":\"%0300d\"}}]}", 1);
    ck_assert_int_gt(setup_req(body, &r, &err), 0);
    ck_assert(said(&err, "too long"));
    free(body);
}
END_TEST

START_TEST(test_request_other)
{
    static qm_errors err;
    char id[QM_X_ID_LEN + 1];
    int months;
    qm_xlimits_default(&lim);
    const char *ok = "{\"session\":\"" ID "\"}";
    ck_assert_int_eq(qm_xreq_step(ok, strlen(ok), &lim, id, &months, &err), 0);
    ck_assert_int_eq(months, 1);
    ck_assert_str_eq(id, ID);
    const char *five = "{\"session\":\"" ID "\",\"months\":5}";
    ck_assert_int_eq(qm_xreq_step(five, strlen(five), &lim, id, &months, &err), 0);
    ck_assert_int_eq(months, 5);
    const char *many = "{\"session\":\"" ID "\",\"months\":121}";
    ck_assert_int_gt(qm_xreq_step(many, strlen(many), &lim, id, &months, &err), 0);
    memset(&err, 0, sizeof err);
    ck_assert_int_eq(qm_xreq_session(ok, strlen(ok), id, &err), 0);
    const char *extra = "{\"session\":\"" ID "\",\"months\":5}";
    ck_assert_int_gt(qm_xreq_session(extra, strlen(extra), id, &err), 0);
    ck_assert(qm_xreq_id_ok(ID));
    ck_assert(!qm_xreq_id_ok("0123456789ABCDEF0123456789abcdef"));
    ck_assert(!qm_xreq_id_ok(ID "0"));
    ck_assert(!qm_xreq_id_ok(NULL));
    ck_assert(qm_xreq_name_ok("teaching/relational"));
    ck_assert(qm_xreq_name_ok("baseline"));
    ck_assert(!qm_xreq_name_ok("../baseline"));
    ck_assert(!qm_xreq_name_ok("teaching/"));
    ck_assert(!qm_xreq_name_ok("a b"));
    ck_assert(!qm_xreq_name_ok(""));
}
END_TEST

/* ---- Scenarios, reorganisations, months ---- */

static void load_teaching(const char *name, const char *const *sets, int n, qm_scenario *sc)
{
    char path[1200];
    static qm_errors err;
    snprintf(path, sizeof path, "%s/scenarios/teaching/%s.cfg", source_dir(), name);
    ck_assert_msg(qm_scenario_load(path, sets, n, sc, &err) == 0, "%s", err.msg[0]);
}

START_TEST(test_reorg_text)
{
    static qm_errors err;
    qm_scenario sc, back;
    qm_xreorg r = {1, 20, 0.25, 0.5, 3};
    const char *rel[] = {"relational", "reorganisation"};
    for (int k = 0; k < 2; k++) {
        load_teaching(rel[k], NULL, 0, &sc);
        char *text = qm_scenario_resolved_text(&sc);
        char *with = qm_xsession_reorg_text(text, &r);
        ck_assert_ptr_nonnull(with);
        ck_assert_msg(qm_scenario_load_text(with, "x.cfg", NULL, 0, &back, &err) == 0, "%s",
                      err.msg[0]);
        ck_assert_int_eq(back.n_timeline, sc.n_timeline + 1);
        int found = 0;
        for (int i = 0; i < back.n_timeline; i++) {
            const qm_timeline_event *e = &back.timeline[i];
            if (e->month == 20 && e->type == QM_TL_REORGANISATION && e->staff_loss == 0.25
                && e->knowledge_loss == 0.5 && e->merge == 3)
                found++;
        }
        ck_assert_int_eq(found, 1);
        qm_scenario_free(&back);
        free(with);
        free(text);
        qm_scenario_free(&sc);
    }
    ck_assert_ptr_null(qm_xsession_reorg_text("name = \"x\";\n", &r));
}
END_TEST

START_TEST(test_catalog)
{
    static qm_errors err;
    qm_xcatalog cat;
    char dir[1200], msg[256];
    qm_xlimits_default(&lim);
    snprintf(dir, sizeof dir, "%s/scenarios", source_dir());
    ck_assert_int_eq(qm_xcatalog_build(&cat, dir, NULL, &lim, &err, msg, sizeof msg), 0);
    ck_assert_str_eq(cat.chosen, "teaching/relational");
    ck_assert_str_eq(cat.s[0].name, "teaching/kt_clause");   /* teaching first, by name */
    const qm_xscenario *nat = qm_xcatalog_find(&cat, "national");
    ck_assert_ptr_nonnull(nat);
    ck_assert_msg(strstr(nat->why, "contracts") != NULL, "%s", nat->why);
    ck_assert_str_eq(qm_xcatalog_find(&cat, "teaching/relational")->why, "");
    ck_assert_ptr_null(qm_xcatalog_find(&cat, "teaching/tender_sweep"));   /* a sweep file */
    ck_assert_ptr_null(qm_xcatalog_find(&cat, "sweeps/ishigami"));
    qm_jval *v = qm_json_parse(cat.json, cat.json_len, msg, sizeof msg);
    ck_assert_msg(v != NULL, "%s", msg);
    ck_assert_int_eq(qm_json_get(v, "series")->n, QM_S_N);
    ck_assert_int_eq(qm_json_get(v, "controls")->n, 7);
    ck_assert_int_eq(qm_json_get(v, "scenarios")->n, cat.n);
    qm_json_free(v);
    qm_xcatalog_free(&cat);
    /* The teacher's own file comes first and is chosen; a bad one is refused. */
    char extra[1200];
    snprintf(extra, sizeof extra, "%s/scenarios/teaching_small.cfg", source_dir());
    ck_assert_int_eq(qm_xcatalog_build(&cat, dir, extra, &lim, &err, msg, sizeof msg), 0);
    ck_assert_str_eq(cat.chosen, "teaching_small");
    qm_xcatalog_free(&cat);
    snprintf(extra, sizeof extra, "%s/scenarios/sweeps/ishigami.cfg", source_dir());
    ck_assert_int_eq(qm_xcatalog_build(&cat, dir, extra, &lim, &err, msg, sizeof msg), -1);
    ck_assert_int_gt(err.n, 0);
    qm_xcatalog_free(&cat);
    /* Limits: months, providers. */
    qm_scenario sc;
    load_teaching("relational", NULL, 0, &sc);
    lim.max_months = 60;
    ck_assert_int_eq(qm_xcatalog_fits(&sc, &lim, msg, sizeof msg), -1);
    ck_assert(strstr(msg, "at most 60") != NULL);
    lim.max_months = 600;
    lim.max_providers = 10;
    ck_assert_int_eq(qm_xcatalog_fits(&sc, &lim, msg, sizeof msg), -1);
    ck_assert(strstr(msg, "provider places") != NULL);
    qm_scenario_free(&sc);
}
END_TEST

/* The story of the month as --narrate prints it. */
static char *narrated(const qm_sim *sim, const qm_frame *f, const char *filter)
{
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    qm_narrate_month(sim, f, filter, m);
    fclose(m);
    return text;
}

START_TEST(test_month_json)
{
    const char *sets[] = {"policy.tender_mandate=0.9", "months=36"};
    qm_scenario sc;
    char msg[512];
    load_teaching("transactional", sets, 2, &sc);
    qm_sim *sim = qm_sim_create(&sc, sc.seed, 0, 1, msg, sizeof msg);
    ck_assert_ptr_nonnull(sim);
    qm_frame *f = qm_frame_alloc(sim);
    qm_xseen seen;
    ck_assert_int_eq(qm_xseen_alloc(&seen, sim), 0);
    qm_jbuf b;
    qm_jbuf_init(&b);
    qm_xmonth_entities(&b, sim, &seen);
    char *s = qm_jbuf_take(&b, NULL);
    qm_jval *e = qm_json_parse(s, strlen(s), msg, sizeof msg);
    ck_assert_msg(e != NULL, "%s", msg);
    ck_assert_int_eq(qm_json_get(e, "commissioners")->n, sim->max_commissioners);
    ck_assert_int_eq(qm_json_get(e, "providers")->n, sim->max_providers);
    ck_assert_int_eq(qm_json_get(e, "k")->n, 9);   /* the nine contracts at the start */
    qm_json_free(e);
    free(s);
    int told = 0, by = 0;
    for (int m = 0; m < 36; m++) {
        qm_sim_step(sim);
        qm_observe(sim, f);
        qm_jbuf_init(&b);
        qm_xmonth_json(&b, sim, f, &seen);
        s = qm_jbuf_take(&b, NULL);
        qm_jval *v = qm_json_parse(s, strlen(s), msg, sizeof msg);
        ck_assert_msg(v != NULL, "month %d: %s", m, msg);
        ck_assert_int_eq((int)qm_json_get(v, "m")->num, m);
        const qm_jval *ser = qm_json_get(v, "s");
        ck_assert_int_eq(ser->n, QM_S_N);
        for (int i = 0; i < QM_S_N; i++)   /* every series exactly */
            ck_assert_msg(ser->items[i]->num == f->series[i], "series %d", i);
        ck_assert_int_eq(qm_json_get(v, "k")->n, (int)f->series[QM_S_CONTRACTS_ACTIVE]);
        ck_assert_int_eq(qm_json_get(v, "ca")->n, sim->max_commissioners);
        char *want = narrated(sim, f, NULL);
        ck_assert_str_eq(qm_json_get(v, "story")->str, want);
        told += want[0] != '\0';
        free(want);
        const qm_jval *byv = qm_json_get(v, "by");
        for (int i = 0; i < byv->n; i++) {
            want = narrated(sim, f, byv->keys[i]);
            ck_assert_str_eq(byv->items[i]->str, want);
            free(want);
            by++;
        }
        /* A name absent from "by" tells what every filter tells. */
        want = narrated(sim, f, "Vale Mental Health");
        const qm_jval *vm = qm_json_get(byv, "Vale Mental Health");
        ck_assert_str_eq(vm ? vm->str : qm_json_get(v, "common")->str, want);
        free(want);
        qm_json_free(v);
        free(s);
    }
    ck_assert_int_gt(told, 5);
    ck_assert_int_gt(by, 5);
    qm_xseen_free(&seen);
    qm_frame_free(f);
    qm_sim_free(sim);
    qm_scenario_free(&sc);
}
END_TEST

/* ---- Sessions ---- */

START_TEST(test_sessions)
{
    qm_xsessions t;
    char id[4][QM_X_ID_LEN + 1];
    int why;
    qm_xlimits_default(&lim);
    lim.max_sessions = 3;
    lim.idle_seconds = 1000.0;
    ck_assert_int_eq(qm_xsessions_init(&t, &lim), 0);
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(qm_xsessions_open(&t, id[i]), 0);
        ck_assert(qm_xreq_id_ok(id[i]));
    }
    ck_assert_str_ne(id[0], id[1]);
    ck_assert_int_eq(qm_xsessions_open(&t, id[3]), 1);   /* over the limit */
    qm_xsession *s = qm_xsessions_acquire(&t, id[0], &why);
    ck_assert_ptr_nonnull(s);
    ck_assert_ptr_null(qm_xsessions_acquire(&t, id[0], &why));
    ck_assert_int_eq(why, 2);                              /* busy */
    ck_assert_ptr_null(qm_xsessions_acquire(&t, ID, &why));
    ck_assert_int_eq(why, 1);                              /* unknown */
    /* Closed while busy: freed when the request ends. */
    ck_assert_int_eq(qm_xsessions_close(&t, id[0]), 0);
    ck_assert_int_eq(qm_xsessions_count(&t), 3);
    qm_xsessions_release(&t, s);
    ck_assert_int_eq(qm_xsessions_count(&t), 2);
    ck_assert_int_eq(qm_xsessions_close(&t, id[0]), 1);
    /* Idle: a busy session is kept, the others are freed. */
    s = qm_xsessions_acquire(&t, id[1], &why);
    ck_assert_int_eq(qm_xsessions_reap(&t, qm_xnow() + 10.0), 0);
    ck_assert_int_eq(qm_xsessions_reap(&t, qm_xnow() + 2000.0), 1);
    ck_assert_int_eq(qm_xsessions_count(&t), 1);
    qm_xsessions_release(&t, s);
    ck_assert_int_eq(qm_xsessions_reap(&t, qm_xnow() + 2000.0), 1);
    ck_assert_int_eq(qm_xsessions_count(&t), 0);
    qm_xsessions_free(&t);
}
END_TEST

START_TEST(test_session_setup)
{
    static qm_xsetup r;
    static qm_errors err;
    qm_xcatalog cat;
    qm_xsessions t;
    char dir[1200], msg[256], id[QM_X_ID_LEN + 1];
    int why;
    qm_xlimits_default(&lim);
    snprintf(dir, sizeof dir, "%s/scenarios", source_dir());
    ck_assert_int_eq(qm_xcatalog_build(&cat, dir, NULL, &lim, &err, msg, sizeof msg), 0);
    ck_assert_int_eq(qm_xsessions_init(&t, &lim), 0);
    ck_assert_int_eq(qm_xsessions_open(&t, id), 0);
    qm_xsession *s = qm_xsessions_acquire(&t, id, &why);
    char body[512];
    snprintf(body, sizeof body, "{\"session\":\"%s\",\"scenario\":\"teaching/relational\","
             "\"months\":12,\"arms\":[{\"set\":{\"policy.tender_presure\":1}}]}", id);
    ck_assert_int_eq(setup_req(body, &r, &err), 0);
    ck_assert_int_gt(qm_xsession_setup(s, &r, &cat, &lim, &err), 0);
    ck_assert_msg(said(&err, "did you mean 'policy.tender_pressure'"), "%s", err.msg[0]);
    ck_assert_int_eq(s->n_arms, 0);
    snprintf(body, sizeof body, "{\"session\":\"%s\",\"scenario\":\"national\",\"arms\":[{}]}", id);
    setup_req(body, &r, &err);
    memset(&err, 0, sizeof err);
    ck_assert_int_gt(qm_xsession_setup(s, &r, &cat, &lim, &err), 0);
    ck_assert(said(&err, "use qmsim run"));
    snprintf(body, sizeof body, "{\"session\":\"%s\",\"scenario\":\"teaching/relational\","
             "\"months\":12,\"seed\":5,\"arms\":[{\"set\":{\"policy.tender_pressure\":1}},"
             "{\"set\":{},\"reorganisation\":{\"month\":30}}]}", id);
    setup_req(body, &r, &err);
    memset(&err, 0, sizeof err);
    ck_assert_int_gt(qm_xsession_setup(s, &r, &cat, &lim, &err), 0);
    ck_assert_msg(said(&err, "Setting B: Reorganisation: month 30 is not within the run"),
                  "%s", err.msg[0]);
    snprintf(body, sizeof body, "{\"session\":\"%s\",\"scenario\":\"teaching/relational\","
             "\"months\":12,\"seed\":5,\"arms\":[{\"set\":{\"policy.tender_pressure\":1}},"
             "{\"set\":{},\"reorganisation\":{\"month\":6}}]}", id);
    setup_req(body, &r, &err);
    memset(&err, 0, sizeof err);
    ck_assert_msg(qm_xsession_setup(s, &r, &cat, &lim, &err) == 0, "%s", err.msg[0]);
    ck_assert_int_eq(s->n_arms, 2);
    ck_assert_msg(strstr(s->arm[0]->command, "/scenarios/teaching/relational.cfg --set "
                         "policy.tender_pressure=1 --seed 5 --months 12 -o relational.h5"),
                  "%s", s->arm[0]->command);
    ck_assert_str_eq(s->arm[1]->command,
                     "qmsim run relational-reorganised-6.cfg -o relational-B.h5");
    qm_jbuf b;
    qm_jbuf_init(&b);
    int lines = 0;
    while (qm_xsession_step(s, &b) == 0)
        lines++;
    ck_assert_int_eq(lines, 12);
    ck_assert_int_eq(s->arm[1]->sim->month, 12);
    char *text = qm_jbuf_take(&b, NULL);
    ck_assert(strstr(text, "was reorganised") != NULL);   /* B's story tells it */
    free(text);
    qm_xsessions_release(&t, s);
    qm_xsessions_free(&t);
    qm_xcatalog_free(&cat);
}
END_TEST

static Suite *explore_suite(void)
{
    Suite *s = suite_create("explore");
    TCase *tc = tcase_create("explore");
    tcase_add_test(tc, test_jbuf);
    tcase_add_test(tc, test_json_read);
    tcase_add_test(tc, test_json_refuses);
    tcase_add_test(tc, test_request_setup);
    tcase_add_test(tc, test_request_refuses);
    tcase_add_test(tc, test_request_other);
    tcase_add_test(tc, test_reorg_text);
    tcase_add_test(tc, test_catalog);
    tcase_add_test(tc, test_month_json);
    tcase_add_test(tc, test_sessions);
    tcase_add_test(tc, test_session_setup);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(explore_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
