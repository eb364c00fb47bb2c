/* test_check.c: the invariant checker of `qmsim run --check`: silent on
 * good runs, and for each kind of corruption a message naming the entity,
 * the variable and the month. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "qmsim/check.h"
#include "qmsim/qmsim.h"
#include "core/walk.h"

static qm_scenario sc;
static qm_sim *sim;
static qm_frame *fr;
static char msg[512];

/* The baseline after three months (months 0, 1 and 2), observed. */
static void setup(void)
{
    static qm_errors err;
    char e[256];
    const char *sets[] = {"months=24"};
    ck_assert_int_eq(qm_scenario_load(NULL, sets, 1, &sc, &err), 0);
    sim = qm_sim_create(&sc, sc.seed, 0, 1, e, sizeof e);
    ck_assert_msg(sim != NULL, "%s", e);
    fr = qm_frame_alloc(sim);
    ck_assert_ptr_nonnull(fr);
    for (int m = 0; m < 3; m++) {
        qm_sim_step(sim);
        qm_observe(sim, fr);
    }
    ck_assert_int_eq(qm_check_state(sim, fr, msg, sizeof msg), 0);
}

static void teardown(void)
{
    qm_frame_free(fr);
    qm_sim_free(sim);
    qm_scenario_free(&sc);
}

/* The check fails and its message holds every one of the strings. */
static void expect(const char *a, const char *b, const char *c)
{
    ck_assert_int_eq(qm_check_state(sim, fr, msg, sizeof msg), 1);
    const char *want[] = {"month 2: ", a, b, c};
    for (int i = 0; i < 4; i++)
        ck_assert_msg(!want[i] || strstr(msg, want[i]), "'%s' not in: %s", want[i], msg);
}

static char *quoted(const char *name)
{
    static char buf[4][96];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "'%s'", name);
    return buf[k];
}

START_TEST(good_run_passes)
{
    /* Every month of the horizon, with the frame and without. */
    while (sim->month < sim->months) {
        qm_sim_step(sim);
        qm_observe(sim, fr);
        ck_assert_msg(qm_check_state(sim, fr, msg, sizeof msg) == 0, "%s", msg);
        ck_assert_msg(qm_check_state(sim, NULL, msg, sizeof msg) == 0, "%s", msg);
        ck_assert_str_eq(msg, "");
    }
}
END_TEST

START_TEST(commissioner_nan)
{
    sim->comm[3].A = NAN;
    expect("commissioner", quoted(sim->comm[3].name), "analytic knowledge A = nan is not a finite");
}
END_TEST

START_TEST(commissioner_out_of_range)
{
    sim->comm[1].dependency = 1.25;
    expect(quoted(sim->comm[1].name), "dependency index dependency = 1.25 is outside [0, 1]", NULL);
}
END_TEST

START_TEST(tally_infinite)
{
    sim->comm[0].t.tc_tender = INFINITY;
    expect(quoted(sim->comm[0].name), "tc_tender = inf", NULL);
}
END_TEST

START_TEST(contract_nan)
{
    int S = sim->n_services;
    sim->con[2 * S + 1].price = NAN;
    expect(quoted(sim->comm[2].name), quoted(sc.services[1].name), "price = nan");
    ck_assert_ptr_nonnull(strstr(msg, "contract for"));
}
END_TEST

START_TEST(trust_evidence)
{
    qm_commissioner *cm = &sim->comm[4];
    ck_assert_int_gt(cm->n_rel, 0);
    cm->rel[0].beta = NAN;
    expect(quoted(cm->name), "trust evidence beta about provider",
           quoted(sim->prov[cm->rel[0].provider].name));
}
END_TEST

START_TEST(provider_quality)
{
    int S = sim->n_services;
    int p = sim->con[0].provider, s = 0;
    sim->quality[(size_t)p * S + s] = 1.5;
    expect(quoted(sim->prov[p].name), quoted(sc.services[s].name), "quality = 1.5 is outside");
}
END_TEST

/* A change of held volume that bypasses qm_walk_refresh leaves the walks a
 * stale room; a provider that leaves the market without it, a live one. */
START_TEST(stale_room)
{
    int S = sim->n_services;
    int p = sim->con[0].provider, s = 0;
    sim->held[(size_t)p * S + s] += 1.0;
    expect(quoted(sim->prov[p].name), quoted(sc.services[s].name),
           "the list gives room");
    qm_walk_refresh(sim, p, s);
    ck_assert_msg(qm_check_state(sim, fr, msg, sizeof msg) == 0, "%s", msg);
    sim->prov[p].active = 0;
    expect(quoted(sim->prov[p].name), "but capacity less held volume is -inf", NULL);
}
END_TEST

START_TEST(list_place)
{
    int S = sim->n_services;
    int p = sim->con[0].provider, s = 0;
    sim->ps_place[(size_t)p * S + s] = sim->svc_n[s];
    expect(quoted(sim->prov[p].name), "is not at its place", NULL);
}
END_TEST

START_TEST(agency_nan)
{
    ck_assert_int_gt(sim->n_agencies, 1);
    sim->agency[1].capacity = NAN;
    expect("agency", quoted(sim->agency[1].name), "capacity = nan");
}
END_TEST

START_TEST(money_lost)
{
    /* A payment that no provider received. */
    sim->comm[0].t.spend += 1000.0;
    expect("money", "commissioners paid providers", "but providers received");
}
END_TEST

START_TEST(series_nan)
{
    fr->series[QM_S_TC_MONITORING] = NAN;
    expect("series", "tc_monitoring = nan", NULL);
    /* The state alone is still sound. */
    ck_assert_int_eq(qm_check_state(sim, NULL, msg, sizeof msg), 0);
}
END_TEST

START_TEST(panel_nan)
{
    int C = fr->n_commissioners;
    fr->cpanel[(size_t)QM_CP_TRUST_MEAN * C + 5] = -INFINITY;
    expect(quoted(sim->comm[5].name), "panel variable trust_mean = -inf", NULL);
}
END_TEST

START_TEST(frame_money)
{
    fr->series[QM_S_SPEND] *= 2.0;
    expect("series", "spend = ", "providers' revenue");
}
END_TEST

START_TEST(small_buffers)
{
    char tiny[8];
    sim->comm[0].X = NAN;
    ck_assert_int_eq(qm_check_state(sim, fr, NULL, 0), 1);
    ck_assert_int_eq(qm_check_state(sim, fr, tiny, sizeof tiny), 1);
    ck_assert_uint_eq(strlen(tiny), sizeof tiny - 1);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("check");
    TCase *tc = tcase_create("check");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, good_run_passes);
    tcase_add_test(tc, commissioner_nan);
    tcase_add_test(tc, commissioner_out_of_range);
    tcase_add_test(tc, tally_infinite);
    tcase_add_test(tc, contract_nan);
    tcase_add_test(tc, trust_evidence);
    tcase_add_test(tc, provider_quality);
    tcase_add_test(tc, stale_room);
    tcase_add_test(tc, list_place);
    tcase_add_test(tc, agency_nan);
    tcase_add_test(tc, money_lost);
    tcase_add_test(tc, series_nan);
    tcase_add_test(tc, panel_nan);
    tcase_add_test(tc, frame_money);
    tcase_add_test(tc, small_buffers);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
