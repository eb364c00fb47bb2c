/* params.c: the parameter registry: every behavioural number, its default,
 * range, unit and meaning.  Nothing else in qmsim holds a model constant. */
#include "qmsim/params.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const char *const qm_payment_names[] = {"block", "activity", "outcome", NULL};
const char *const qm_provider_kind_names[] = {
    "nhs_acute", "nhs_community", "nhs_mental", "independent", "voluntary", NULL};
const char *const qm_init_rule_names[] = {"nearest_nhs", "random", NULL};
const char *const qm_neighbour_names[] = {"ring", "none", NULL};
const char *const qm_dist_names[] = {
    "const", "uniform", "normal", "lognormal", "beta", "list", NULL};
const char *const qm_agency_kind_names[] = {
    "csu", "commercial", "not_for_profit", "freelance", "public_health", NULL};
const char *const qm_conduit_names[] = {"placement", "product", "advisory", NULL};
const char *const qm_purpose_names[] = {
    "analytics", "redesign", "procurement", "outsourced_commissioning", NULL};
const char *const qm_timeline_names[] = {
    "reorganisation", "externalise_analytics", "policy", "directive",
    "priority_shift", "demand_shock", NULL};
static const char *const payment_policy_names[] = {
    "keep", "block", "activity", "outcome", NULL};

#define P(field) offsetof(qm_params, field)
#define D(path, field, def, lo, hi, unit, doc) \
    {path, QM_T_DOUBLE, P(field), def, lo, hi, unit, doc, NULL, 0}
#define I(path, field, def, lo, hi, unit, doc) \
    {path, QM_T_INT, P(field), def, lo, hi, unit, doc, NULL, 0}
#define B(path, field, def, doc) \
    {path, QM_T_BOOL, P(field), def, 0, 1, "-", doc, NULL, 0}
#define E(path, field, def, names, doc) \
    {path, QM_T_ENUM, P(field), def, 0, 0, "-", doc, names, 0}

/* MODEL.md sections 2-5.  Keep paths grouped by section of the file. */
const qm_param_def qm_param_table[] = {
    /* Contracts and initialisation (MODEL.md 2 Contract, 5) */
    I("contract.term", contract.term, 36, 1, 240, "months", "Term of a new or renewed contract."),
    I("contract.stagger_years", contract.stagger_years, 3, 1, 20, "years", "Initial contracts expire evenly over this many years."),
    D("contract.monitoring", contract.monitoring, 0.5, 0, 1, "-", "Initial monitoring intensity M_k of every contract."),
    D("contract.initial_price_ratio", contract.initial_price_ratio, 1.0, 0.1, 10, "-", "Initial contract price as a multiple of the tariff. Plausible 0.95-1.1 (P7 uncertain: the margin competition can cut)."),
    D("contract.incumbent_headroom", contract.incumbent_headroom, 1.15, 0, 10, "-", "An initial incumbent's capacity is raised to at least this multiple of its expected volume (0 disables)."),
    D("contract.outcome_base_share", contract.outcome_base_share, 0.8, 0, 1, "-", "Outcome payment: share of the block value paid regardless of quality."),
    D("contract.outcome_cap", contract.outcome_cap, 1.2, 1, 3, "-", "Outcome payment: cap on perceived over expected quality."),
    E("contract.initial_rule", contract.initial_rule, QM_INIT_NEAREST_NHS, qm_init_rule_names, "How initial incumbents are chosen: nearest NHS provider offering the service, or a random offering provider."),
    D("contract.age_min", contract.age_min, 24, 0, 600, "months", "Youngest relationship age at the start (uniform draw)."),
    D("contract.age_max", contract.age_max, 120, 0, 600, "months", "Oldest relationship age at the start (uniform draw)."),
    I("contract.reveal_months", contract.reveal_months, 6, 1, 120, "months", "(v2) Months after an award by which an outsider's true unit cost shows; if its price is below it, it renegotiates upward or hands the contract back. Plausible 3-12."),
    D("contract.handback_prob", contract.handback_prob, 0.3, 0, 1, "-", "(v2) Probability that an outsider losing money on a contract hands it back (the commissioner re-procures) rather than renegotiating its price up. Plausible 0.1-0.5."),
    /* Delivery (MODEL.md 3.2) */
    D("delivery.quality_noise_sd", delivery.quality_noise_sd, 0.05, 0, 1, "-", "Standard deviation of realised quality around true quality."),
    D("delivery.block_tolerance", delivery.block_tolerance, 1.05, 0.5, 10, "-", "(v2) A block contract supplies at most this multiple of the planned volume; demand above it waits or goes unmet. Plausible 1-1.2."),
    D("delivery.coding_drift", delivery.coding_drift, 0.08, 0, 1, "-", "(v2) Under activity payment, reported activity exceeds true activity by coding_drift (1 - I_c)(1 - M_k). Plausible 0.02-0.15 (P7 uncertain)."),
    D("delivery.plan_weight", delivery.plan_weight, 0.0833, 0, 1, "/month", "(v2) Weight of a month's reported demand in the smoothed demand a commissioner plans a new term on. Plausible 0.04-0.25 (a memory of two years to four months)."),
    D("delivery.effort_gain", delivery.effort_gain, 0.06, 0, 0.5, "-", "(v2) Bound on the quality a provider's effort adds to an outcome-paid contract. Plausible 0.02-0.1."),
    D("delivery.effort_rate", delivery.effort_rate, 0.1, 0, 1, "/month", "(v2) Monthly share of the way to that bound (and back, once outcome payment ends). Plausible 0.05-0.3."),
    D("delivery.effort_cost", delivery.effort_cost, 1.0, 0, 20, "-", "(v2) Unit cost rises by effort_cost x the quality effort adds (1.0: +0.05 quality costs +5 %). Plausible 0.5-2."),
    /* Monitoring (MODEL.md 3.3) */
    D("monitoring.sigma0", monitor.sigma0, 0.15, 1e-6, 2, "-", "Signal noise sd sigma0 with no information and no monitoring."),
    D("monitoring.info_base", monitor.info_base, 0.4, 0, 1, "-", "I_c = d_c (info_base + info_analytic A_c)."),
    D("monitoring.info_analytic", monitor.info_analytic, 0.6, 0, 1, "-", "Weight of effective analytic knowledge in information quality."),
    D("monitoring.info_noise_cut", monitor.info_noise_cut, 0.5, 0, 0.95, "-", "Share of signal noise removed at full information: sigma = sigma0 (1 - info_noise_cut I_c)(1 - monitoring_noise_cut M_k)."),
    D("monitoring.monitoring_noise_cut", monitor.monitoring_noise_cut, 0.5, 0, 0.95, "-", "Share of signal noise removed at full monitoring intensity."),
    D("monitoring.undercount_max", monitor.undercount_max, 0.1, 0, 0.9, "-", "Share of activity not reported when I_c = 0; shrinks linearly to 0 at I_c = 1."),
    D("monitoring.cost", monitor.cost, 0.1, 0, 10, "FTE-month", "Monitoring time per contract-month at M_k = 1 and no trust. Plausible 0.05-0.2 (P7 uncertain)."),
    D("monitoring.activity_factor", monitor.pay_factor[QM_PAY_ACTIVITY], 1.5, 0, 10, "-", "Monitoring time of an activity-paid contract relative to a block contract (activity data must be validated)."),
    D("monitoring.outcome_factor", monitor.pay_factor[QM_PAY_OUTCOME], 2.0, 0, 10, "-", "Monitoring time of an outcome-paid contract relative to a block contract (outcomes must be measured)."),
    D("monitoring.trust_discount", monitor.trust_discount, 0.5, 0, 1, "-", "Monitoring time is multiplied by (1 - trust_discount T)."),
    D("monitoring.expectation", monitor.expectation, 0.6, 0, 1, "-", "Quality e a commissioner expects; signals are judged against it."),
    D("monitoring.perception_weight", monitor.perception_weight, 0.2, 0, 1, "-", "Weight of a new signal in the perceived-quality record."),
    D("monitoring.renegotiation_step", monitor.renegotiation_step, 0.1, 0, 1, "-", "Rise in monitoring intensity agreed at a renegotiation."),
    D("monitoring.aspiration", monitor.aspiration, 0.01, -0.2, 0.3, "-", "(v2) Margin a commissioner asks above its benchmark e_cs = (1 - I_c) qhat + I_c rating_s. Plausible 0-0.05."),
    /* Trust (MODEL.md 4.1) */
    D("trust.evidence_weight", trust.evidence_weight, 0.5, 0, 10, "-", "g: weight of one month's evidence."),
    D("trust.forgetting", trust.forgetting, 0.97, 0, 1, "-", "lambda: monthly retention of past evidence."),
    D("trust.prior_strength", trust.prior_strength, 4, 0.01, 1000, "-", "a0 + b0 of the Beta prior."),
    D("trust.prior_nhs_acute", trust.prior[QM_PK_NHS_ACUTE], 0.70, 0, 1, "-", "Prior mean trust in an NHS acute provider."),
    D("trust.prior_nhs_community", trust.prior[QM_PK_NHS_COMMUNITY], 0.70, 0, 1, "-", "Prior mean trust in an NHS community provider."),
    D("trust.prior_nhs_mental", trust.prior[QM_PK_NHS_MENTAL], 0.70, 0, 1, "-", "Prior mean trust in an NHS mental-health provider."),
    D("trust.prior_independent", trust.prior[QM_PK_INDEPENDENT], 0.50, 0, 1, "-", "Prior mean trust in an independent provider."),
    D("trust.prior_voluntary", trust.prior[QM_PK_VOLUNTARY], 0.60, 0, 1, "-", "Prior mean trust in a voluntary provider."),
    D("trust.prior_csu", trust.agency_prior[QM_AK_CSU], 0.70, 0, 1, "-", "Prior mean trust in a commissioning support unit."),
    D("trust.prior_commercial", trust.agency_prior[QM_AK_COMMERCIAL], 0.45, 0, 1, "-", "Prior mean trust in a commercial consultancy."),
    D("trust.prior_not_for_profit", trust.agency_prior[QM_AK_NOT_FOR_PROFIT], 0.60, 0, 1, "-", "Prior mean trust in a not-for-profit agency."),
    D("trust.prior_freelance", trust.agency_prior[QM_AK_FREELANCE], 0.75, 0, 1, "-", "Prior mean trust in a freelance consultant."),
    D("trust.prior_public_health", trust.agency_prior[QM_AK_PUBLIC_HEALTH], 0.75, 0, 1, "-", "Prior mean trust in a public-health team."),
    D("trust.collaboration", trust.collaboration, 0.2, 0, 10, "-", "Evidence added to alpha per month of joint development work."),
    D("trust.penalty", trust.penalty, 2, 0, 100, "-", "Evidence added to beta by a penalty, docked fee or lost tender."),
    I("trust.max_relationships", trust.max_relationships, 64, 1, 100000, "-", "Relationships a commissioner remembers; the least recently active is forgotten first."),
    /* Transaction costs (MODEL.md 4.2) */
    D("costs.salary", cost.salary, 5000, 0, 1e6, "GBP/FTE-month", "Commissioner staff cost."),
    D("costs.provider_salary", cost.provider_salary, 5000, 0, 1e6, "GBP/FTE-month", "Provider staff cost."),
    D("costs.renewal", cost.renewal, 0.2, 0, 100, "FTE-month", "Staff time to renew a contract."),
    D("costs.renegotiation", cost.renegotiation, 1.0, 0, 100, "FTE-month", "Staff time to renegotiate a contract."),
    D("costs.tender", cost.tender, 6, 0, 1000, "FTE-month", "Commissioner's staff time for one tender, spread evenly over its duration. Plausible 3-12 (P7 uncertain; tenders took up to a year, MODEL.md 8)."),
    I("costs.tender_duration", cost.tender_duration, 9, 1, 60, "months", "Duration of a tender."),
    D("costs.bid", cost.bid, 2, 0, 100, "FTE-month", "Each bidder's staff time to bid. Plausible 1-4 (P7 uncertain)."),
    D("costs.switching", cost.switching, 3, 0, 100, "FTE-month", "Commissioner staff time to move a service to a new provider."),
    D("costs.switch_dip", cost.switch_dip, 0.05, 0, 1, "-", "Quality lost during a switch."),
    I("costs.switch_dip_months", cost.switch_dip_months, 6, 0, 120, "months", "Duration of the switching quality dip."),
    D("costs.dispute", cost.dispute, 1.0, 0, 100, "FTE-month", "Commissioner staff time of a dispute after a failed deliverable."),
    D("costs.rollover_share", cost.decision_extension, 0.334, 0.01, 1, "-", "A contract rolled over for lack of staff is extended by this share of the term."),
    D("costs.mobilisation", cost.mobilisation, 4, 0, 100, "FTE-month", "(v2) A winning outsider's one-off staff time to mobilise the service (provider side). Plausible 1-8 (P7 uncertain; no published estimate)."),
    D("costs.coding_share", cost.coding_share, 0.003, 0, 0.5, "-", "(v2) Providers' coding and billing cost under activity payment, as a share of the activity payment. Plausible 0.001-0.01 (P7 uncertain; no published estimate)."),
    D("costs.outcome_measurement", cost.outcome_measurement, 0.1, 0, 10, "FTE-month", "(v2) Provider staff time per outcome-paid contract-month to measure and report outcomes. Plausible 0.05-0.3 (no published estimate)."),
    D("costs.provider_monitoring", cost.provider_monitoring, 0.5, 0, 10, "-", "(v2) Provider staff time per unit of the commissioner's monitoring time (returns, review meetings). Plausible 0.25-1 (no published estimate)."),
    D("costs.provider_negotiation", cost.provider_negotiation, 0.5, 0, 10, "-", "(v2) Provider staff time per unit of the commissioner's renewal or renegotiation time. Plausible 0.25-1 (no published estimate)."),
    /* Contract decisions (MODEL.md 4.3) */
    D("decision.beta_trust", decision.b_trust, 2.0, -100, 100, "-", "beta_T: weight of trust (for renewal, against tender)."),
    D("decision.beta_tenure", decision.b_tenure, 1.0, -100, 100, "-", "beta_ten: weight of tenure in renewal."),
    D("decision.tenure_scale", decision.tenure_scale, 60, 1, 1200, "months", "Tenure at which the tenure term saturates."),
    D("decision.beta_gap", decision.b_gap, 4.0, -100, 100, "-", "beta_gap: weight of the perceived shortfall."),
    D("decision.beta_reneg0", decision.b_reneg0, 0.5, -100, 100, "-", "beta_r0: constant of renegotiation."),
    D("decision.beta_reneg_gap", decision.b_reneg_gap, 6.0, -100, 100, "-", "beta_gr: weight of the shortfall in renegotiation."),
    D("decision.beta_tc", decision.b_tc, 0.5, -100, 100, "-", "beta_tc: weight of staff cost relative to free capacity."),
    D("decision.beta_tender0", decision.b_tender0, 2.5, -100, 100, "-", "beta_t0: constant of tendering."),
    D("decision.beta_market", decision.b_market, 2.0, -100, 100, "-", "beta_m: weight of market orientation."),
    D("decision.beta_policy", decision.b_policy, 3.0, -100, 100, "-", "beta_pol: weight of policy pressure to tender."),
    D("decision.beta_alt", decision.b_alt, 0.8, -100, 100, "-", "beta_alt: weight of ln(1 + alternative providers)."),
    D("decision.beta_risk", decision.b_risk, 3.0, -100, 100, "-", "beta_risk: weight of risk aversion x incumbent's dependence on the contract."),
    D("decision.beta_parcel", decision.b_parcel, 2.0, -100, 100, "-", "beta_par: weight of poor parcelability."),
    D("decision.capacity_floor", decision.capacity_floor, 0.1, 1e-6, 100, "FTE", "Free contracting capacity is taken as at least this in the utilities."),
    D("decision.reneg_price_weight", decision.reneg_price_weight, 0.5, 0, 1, "-", "A renegotiated price moves this share of the way to the tariff."),
    /* Tenders (MODEL.md 4.3) */
    D("tender.w_quality", tender.w_quality, 2.0, 0, 100, "-", "Weight of (estimated) quality in bid scores."),
    D("tender.w_price", tender.w_price, 1.0, 0, 100, "-", "Weight of price over tariff in bid scores."),
    D("tender.w_trust", tender.w_trust, 0.5, 0, 100, "-", "Weight of trust in bid scores."),
    D("tender.eligibility_share", tender.eligibility_share, 1.0, 0, 10, "-", "A provider may bid when its spare capacity is at least this share of the volume."),
    I("tender.max_bidders", tender.max_bidders, 6, 1, QM_BIDS_MAX, "-", "Providers shortlisted to bid (the incumbent always is), drawn at random from the eligible ones."),
    D("tender.claim_noise_sd", tender.claim_noise_sd, 0.03, 0, 1, "-", "Noise on a bidder's quality claim."),
    D("tender.cost_optimism", tender.cost_optimism, 0.06, 0, 0.9, "-", "(v2) Mean share by which an outsider underestimates its unit cost when it prices a bid (uniform on [0, 2 cost_optimism]). Plausible 0-0.15 (P7 uncertain: savings hard to see, Porter et al. 2013)."),
    /* Market dynamics (MODEL.md 4.3, provider drift, entry and exit) */
    D("market.drift_challenge", market.drift_challenge, 0.002, 0, 1, "/month", "Quality rise per month at full challenge (monitoring or a recent tender)."),
    D("market.drift_close", market.drift_close, 0.003, 0, 1, "/month", "Quality slip per month in a relationship that is too close."),
    D("market.close_threshold", market.close_threshold, 0.85, 0, 1, "-", "Trust above which a relationship is too close."),
    D("market.close_monitoring", market.close_monitoring, 0.3, 0, 1, "-", "Monitoring below which a high-trust relationship is too close."),
    I("market.challenge_months", market.challenge_months, 24, 0, 600, "months", "A tender within this many months counts as challenge."),
    D("market.challenge_bound", market.challenge_bound, 0.05, 0, 1, "-", "(v2) Most quality that challenge (monitoring, a recent tender) adds to, or closeness takes from, the one contract challenged. Plausible 0.02-0.1."),
    D("market.drift_sd", market.drift_sd, 0.005, 0, 1, "/month", "Monthly noise in true quality."),
    D("market.reversion", market.reversion, 0.02, 0, 1, "/month", "Monthly pull of quality toward the provider's base quality."),
    I("market.exit_loss_months", market.exit_loss_months, 12, 1, 600, "months", "Consecutive months of losses before an independent or voluntary provider exits."),
    D("market.entry_rate", market.entry_rate, 0.05, 0, 1, "/month", "Entry probability per service-month at full tendering share and 100 % margin."),
    D("market.entry_margin_scale", market.entry_margin_scale, 0.2, 1e-6, 10, "-", "Margin at which the entry probability saturates."),
    I("market.entry_window", market.entry_window, 24, 1, 600, "months", "Window over which a service's tendering share is measured."),
    I("market.reach", market.reach, 40, 1, 1000000, "-", "Providers offering a service, nearest first, that a commissioner looks at for alternatives, a tender shortlist or a new home for a service."),
    I("market.max_entrants", market.max_entrants, 40, 0, 100000, "-", "Entrant slots reserved for the run."),
    /* Policy (MODEL.md 6) */
    D("policy.tender_pressure", policy.tender_pressure, 0, 0, 1, "-", "Policy pressure to tender."),
    D("policy.tender_mandate", policy.tender_mandate, 0, 0, 1, "-", "Share of expiring contracts that must go to tender."),
    B("policy.open_market", policy.open_market, 0, "Any qualified provider: independent providers may enter."),
    {"policy.payment_type", QM_T_ENUM, P(policy.payment_type), 0, 0, 0, "-", "Payment type of the contracts: set in the scenario it applies to every contract from month 0 (the first contracts are made with it); a timeline policy event changes it for contracts renegotiated or awarded by tender from its month on (renewals keep theirs). keep: the service's own.", payment_policy_names, 0},
    B("policy.transfer_clause", policy.transfer_clause, 0, "Every new engagement carries a knowledge-transfer clause."),
    D("policy.ig_strictness", policy.ig_strictness, 0, 0, 1, "-", "Information-governance strictness: limits what data infrastructure yields."),
    /* Knowledge (MODEL.md 4.4) */
    D("knowledge.decay_used", knowledge.decay_used, 0.002, 0, 1, "/month", "Decay of knowledge that was used this month."),
    D("knowledge.decay_idle", knowledge.decay_idle, 0.01, 0, 1, "/month", "Decay of knowledge that was not used."),
    D("knowledge.staff_turnover", knowledge.staff_turnover, 0.01, 0, 1, "/month", "Commissioner staff turnover; leavers are replaced at hire_level."),
    D("knowledge.hire_level", knowledge.hire_level, 0.4, 0, 1, "-", "Knowledge a new hire brings."),
    D("knowledge.eta_relationship", knowledge.eta_relationship, 0.01, 0, 1, "/month", "eta_rel: interpersonal conduit rate."),
    D("knowledge.analytic_need", knowledge.analytic_need, 0.5, 0, 1, "-", "Analytic knowledge a commissioner needs; below it, it buys support."),
    D("knowledge.eta_placement", knowledge.eta_placement, 0.08, 0, 1, "/month", "eta for the people-placement conduit."),
    D("knowledge.eta_product", knowledge.eta_product, 0.02, 0, 1, "/month", "eta for the product-deployment conduit (less than placement)."),
    D("knowledge.eta_advisory", knowledge.eta_advisory, 0.01, 0, 1, "/month", "eta for remote advisory work."),
    D("knowledge.absorb_base", knowledge.absorb_base, 0.2, 0, 1, "-", "Absorptive capacity abs = absorb_base + absorb_slope K."),
    D("knowledge.absorb_slope", knowledge.absorb_slope, 0.8, 0, 1, "-", "Slope of absorptive capacity in own knowledge."),
    D("knowledge.distance_peak", knowledge.distance_peak, 0.4, 0.01, 1, "-", "Cognitive distance at which learning peaks (inverted U)."),
    D("knowledge.trust_exponent", knowledge.trust_exponent, 1.0, 0, 10, "-", "gamma: transfer scales with T^gamma."),
    D("knowledge.tool_decay_used", knowledge.tool_decay_used, 0.02, 0, 1, "/month", "Decay of a product's capability while its output is asked for."),
    D("knowledge.tool_decay_idle", knowledge.tool_decay_idle, 0.15, 0, 1, "/month", "Decay of a product's capability when nobody asks for its output."),
    D("knowledge.context_rate", knowledge.context_rate, 0.1, 0, 1, "/month", "Rate at which an engagement's consultants learn the local context."),
    D("knowledge.ig_effect", knowledge.ig_effect, 0.5, 0, 1, "-", "Share of data infrastructure lost to full information-governance strictness."),
    /* Engagements and agencies (MODEL.md 4.4) */
    I("engagement.term", engage.term, 24, 1, 240, "months", "Term of an engagement."),
    I("engagement.max_per_commissioner", engage.max_per_commissioner, 4, 1, 64, "-", "Engagements a commissioner can hold at once."),
    D("engagement.fte", engage.fte, 1.0, 0.01, 1000, "FTE", "Size of an engagement."),
    D("engagement.overflow_trigger", engage.overflow_trigger, 0.3, 0, 1000, "FTE-months", "Work waiting in a month (contracting or development) that makes a commissioner buy support."),
    D("engagement.coverage_fte", engage.coverage_fte, 2.0, 0.01, 1000, "FTE", "Engagement FTE that cover all of a commissioner's analytic work."),
    D("engagement.w_trust", engage.w_trust, 2.0, -100, 100, "-", "Agency choice: weight of trust."),
    D("engagement.w_skill", engage.w_skill, 2.0, -100, 100, "-", "Agency choice: weight of analytic skill."),
    D("engagement.w_fee", engage.w_fee, 1.0, -100, 100, "-", "Agency choice: weight of fee over the reference fee."),
    D("engagement.w_fit", engage.w_fit, 1.5, -100, 100, "-", "Agency choice: weight of context fit."),
    D("engagement.w_host", engage.w_host, 1.0, -100, 100, "-", "Agency choice: familiarity with the host CSU."),
    D("engagement.w_push", engage.w_push, 1.0, -100, 100, "-", "Agency choice: weight of marketing push."),
    I("engagement.reach", engage.reach, 24, 1, QM_REACH_MAX, "-", "Agencies, nearest first, that a commissioner considers when it buys support."),
    D("engagement.reference_fee", engage.reference_fee, 8000, 1, 1e7, "GBP/FTE-month", "Fee against which fees are judged."),
    D("engagement.clause_share", engage.clause_share, 0.0, 0, 1, "-", "Share of engagements with a transfer clause when none is mandated."),
    I("engagement.review_months", engage.review_months, 6, 1, 120, "months", "Deliverables are reviewed this often."),
    D("engagement.fail_share", engage.fail_share, 0.45, 0, 1, "-", "A review fails when mean progress (skill x brief clarity x share of booked staff delivered) is below this."),
    D("engagement.dock_share", engage.dock_share, 0.2, 0, 1, "-", "A failed review is docked only when mean progress is below this (a failure that would stand in a dispute); above it, up to fail_share, it costs trust but no fee. Plausible 0.15-0.3 (one docked contract across eight case-study sites, Wye et al. 2015)."),
    D("engagement.dock", engage.dock, 0.25, 0, 1, "-", "Share of the period's fee docked after a failed review."),
    D("engagement.clarity", engage.clarity, 0.8, 0, 1, "-", "Brief clarity when an engagement starts or is renewed."),
    I("engagement.shift_months", engage.shift_months, 3, 1, 120, "months", "Priorities shift this often."),
    D("engagement.shift_loss", engage.shift_loss, 0.03, 0, 1, "-", "Brief clarity lost at each shift in priorities."),
    D("engagement.progress_sd", engage.progress_sd, 0.2, 1e-6, 10, "-", "Scale of trust evidence from progress against plan."),
    I("engagement.max_months", engage.max_months, 120, 1, 1200, "months", "Longest an engagement runs with its renewals."),
    D("engagement.transfer_margin", engage.transfer_margin, 0.0, 0, 1, "-", "The need persists while knowledge is below need minus this margin."),
    D("engagement.agency_staff_cost", engage.csu_staff_cost, 6000, 0, 1e7, "GBP/FTE-month", "What an agency's staff cost it (CSU self-sufficiency)."),
    I("engagement.csu_window", engage.csu_window, 12, 1, 120, "months", "Rolling window of the CSU self-sufficiency rule."),
    D("engagement.csu_shrink", engage.csu_shrink, 0.03, 0, 1, "/month", "Capacity a CSU loses each month its revenue does not cover its staff."),
    /* Service developments (MODEL.md 4.5) */
    D("development.effort_needs", develop.effort[0], 8, 0.01, 1000, "FTE-months", "Mean effort of the needs-assessment stage."),
    D("development.effort_specification", develop.effort[1], 6, 0.01, 1000, "FTE-months", "Mean effort of the specification stage."),
    D("development.effort_procurement", develop.effort[2], 3, 0.01, 1000, "FTE-months", "Mean effort of the procurement stage."),
    D("development.effort_implementation", develop.effort[3], 3, 0.01, 1000, "FTE-months", "Mean effort of the implementation stage."),
    D("development.effort_cv", develop.effort_cv, 0.3, 0, 5, "-", "Coefficient of variation of stage effort (log-normal)."),
    D("development.fte_each", develop.fte_each, 1.0, 0.01, 100, "FTE", "Development staff per concurrent development."),
    I("development.max_slots", develop.max_slots, 8, 1, 64, "-", "Most developments a commissioner can run at once."),
    D("development.absence_mean", develop.absence_mean, 0.2, 0, 0.99, "-", "Mean share of development staff absent or diverted in a month (Beta draw)."),
    D("development.absence_concentration", develop.absence_concentration, 1.2, 0.01, 1000, "-", "Concentration of the Beta draw of absence (lower: more variable)."),
    D("development.monthly_need", develop.monthly_need, 1.0, 0.01, 100, "FTE", "Effort a development needs a month to progress normally."),
    D("development.min_share", develop.min_share, 0.5, 0, 1, "-", "A development given less than this share of its need stalls."),
    I("development.abandon_months", develop.abandon_months, 24, 1, 600, "months", "Stalled months after which a development is abandoned."),
    I("development.benefit_lag", develop.benefit_lag, 24, 0, 600, "months", "Months from launch until the benefit is realised."),
    D("development.quality_gain", develop.quality_gain, 0.05, 0, 1, "-", "Quality gain on the service once the benefit is realised."),
    D("development.start_base", develop.start_base, 0.012, 0, 1, "/month", "Probability a commissioner starts a development of a service in a month."),
    D("development.start_gap", develop.start_gap, 0.05, 0, 10, "/month", "Extra start probability per unit of perceived shortfall."),
    D("development.lead_trust", develop.lead_trust, 0.75, 0, 1, "-", "Trust above which the incumbent provider leads a development."),
    D("development.provider_share", develop.provider_share, 0.3, 0, 1, "-", "Share of the effort a leading provider carries."),
    D("development.replace_share", develop.replace_share, 0.2, 0, 1, "-", "Share of developments that replace the service (allowing decommissioning)."),
    D("development.copy_rate", develop.copy_rate, 0.2, 0, 100, "/month", "Copy probability a month per unit of a neighbour's realised benefit."),
    /* Output (MODEL.md 7) */
    B("output.panels", output.panels, 1, "Write per-commissioner and per-provider panels."),
    B("output.events", output.events, 1, "Write the event table."),
    I("output.flush_months", output.flush_months, 12, 1, 1200, "months", "Months buffered in memory between writes."),
    {NULL, 0, 0, 0, 0, 0, NULL, NULL, NULL, 0}};
#undef P

#define S(field) offsetof(qm_service_spec, field)
const qm_param_def qm_service_fields[] = {
    {"name", QM_T_STRING, S(name), 0, 1, QM_NAME_MAX - 1, "-", "Service name (required, unique).", NULL, 0},
    {"demand", QM_T_DOUBLE, S(demand), 1.0, 0, 1e6, "units/1000/month", "Demand per 1,000 population per month.", NULL, 0},
    {"tariff", QM_T_DOUBLE, S(tariff), 1000, 0.01, 1e9, "GBP/unit", "Reference price per unit of activity.", NULL, 0},
    {"cost_min", QM_T_DOUBLE, S(cost_min), 0.75, 0, 10, "-", "Lowest unit cost, as a share of the tariff.", NULL, 0},
    {"cost_max", QM_T_DOUBLE, S(cost_max), 1.0, 0, 10, "-", "Highest unit cost, as a share of the tariff.", NULL, 0},
    {"parcelability", QM_T_DOUBLE, S(parcelability), 0.5, 0, 1, "-", "b_s: how cleanly the service can be bounded for a contract.", NULL, 0},
    {"staff_scarcity", QM_T_DOUBLE, S(scarcity), 0.2, 0, 1, "-", "Scarcity of specialist staff; limits alternatives and entry.", NULL, 0},
    {"payment", QM_T_ENUM, S(payment), QM_PAY_BLOCK, 0, 0, "-", "Default payment type.", qm_payment_names, 0},
    {"tariffed", QM_T_BOOL, S(tariffed), 1, 0, 1, "-", "(v2) 1: the tariff is the reference price; 0: the lowest credible price bid so far is.", NULL, 0},
    {NULL, 0, 0, 0, 0, 0, NULL, NULL, NULL, 0}};
#undef S

#define C(field) offsetof(qm_commissioner_group, field)
#define CD(name, field, def, lo, hi, unit, doc) {name, QM_T_DIST, C(field), def, lo, hi, unit, doc, NULL, 0}
const qm_param_def qm_cgroup_fields[] = {
    {"prefix", QM_T_STRING, C(prefix), 0, 1, QM_NAME_MAX - 14, "-", "Name prefix for commissioners without an explicit name.", NULL, 0},
    {"count", QM_T_INT, C(count), 1, 1, 100000, "-", "Number of commissioners in the group.", NULL, 0},
    CD("population", population, 300000, 1000, 1e8, "people", "Population served."),
    CD("budget_per_capita", budget_per_capita, 120, 0, 1e5, "GBP/person/month", "Monthly budget per person."),
    CD("development_staff", development_staff, 4, 0, 1e4, "FTE", "D_c: development staff."),
    CD("contracting_staff", contracting_staff, 4, 0, 1e4, "FTE", "K_c: contracting staff."),
    CD("analytic", analytic, 0.5, 0, 1, "-", "A_c: initial analytic knowledge."),
    CD("contextual", contextual, 0.7, 0, 1, "-", "X_c: initial contextual knowledge."),
    CD("procurement", procurement, 0.3, 0, 1, "-", "R_c: initial procurement knowledge."),
    CD("data_infrastructure", data_infrastructure, 0.6, 0, 1, "-", "d_c: data infrastructure."),
    CD("market_orientation", market_orientation, 0.2, 0, 1, "-", "m_c: 0 relational, 1 transactional."),
    CD("risk_aversion", risk_aversion, 0.5, 0, 1, "-", "r_c: wariness of destabilising providers."),
    CD("receptivity", receptivity, 0.5, 0, 1, "-", "Receptivity to outside knowledge."),
    {NULL, 0, 0, 0, 0, 0, NULL, NULL, NULL, 0}};
#undef C
#undef CD

#define A(field) offsetof(qm_agency_group, field)
#define AD(name, field, def, lo, hi, unit, doc) {name, QM_T_DIST, A(field), def, lo, hi, unit, doc, NULL, 0}
const qm_param_def qm_agroup_fields[] = {
    {"prefix", QM_T_STRING, A(prefix), 0, 1, QM_NAME_MAX - 14, "-", "Name prefix for agencies without an explicit name.", NULL, 0},
    {"kind", QM_T_ENUM, A(kind), QM_AK_CSU, 0, 0, "-", "Agency kind.", qm_agency_kind_names, 0},
    {"count", QM_T_INT, A(count), 1, 1, 100000, "-", "Number of agencies in the group.", NULL, 0},
    {"conduit", QM_T_ENUM, A(conduit), QM_CONDUIT_PLACEMENT, 0, 0, "-", "How its knowledge reaches clients: staff placed with them, a product with training, or remote advice.", qm_conduit_names, 0},
    AD("capacity", capacity, 10, 0, 1e6, "FTE", "Staff available to clients."),
    AD("skill", skill, 0.7, 0, 1, "-", "S_a: analytic skill."),
    AD("context_fit", context_fit, 0.6, 0, 1, "-", "F_a: how far it speaks fluent NHS."),
    AD("fee", fee, 8000, 0, 1e7, "GBP/FTE-month", "Fee per FTE-month."),
    AD("transfer", transfer, 0.3, 0, 1, "-", "theta_a: how much it builds client skills unprompted."),
    AD("turnover", turnover, 0.01, 0, 1, "/month", "Staff turnover a month (commercial about 0.035)."),
    AD("push", push, 0.0, 0, 10, "-", "Marketing push."),
    {NULL, 0, 0, 0, 0, 0, NULL, NULL, NULL, 0}};
#undef A
#undef AD

#define TL(field) offsetof(qm_timeline_event, field)
#define TM(t) (1u << (t))
const qm_param_def qm_timeline_fields[] = {
    {"month", QM_T_INT, TL(month), 0, 0, 6000, "month", "Month of the event (0 = first month).", NULL, ~0u},
    {"type", QM_T_ENUM, TL(type), 0, 0, 0, "-", "Event type.", qm_timeline_names, ~0u},
    {"staff_loss", QM_T_DOUBLE, TL(staff_loss), 0.33, 0, 1, "-", "Share of development and contracting staff lost.", NULL, TM(QM_TL_REORGANISATION)},
    {"knowledge_loss", QM_T_DOUBLE, TL(knowledge_loss), 0.3, 0, 1, "-", "Share of every knowledge stock lost.", NULL, TM(QM_TL_REORGANISATION)},
    {"rupture", QM_T_DOUBLE, TL(rupture), 0.5, 0, 1, "-", "Share of relationship evidence lost (trust falls back toward the prior).", NULL, TM(QM_TL_REORGANISATION)},
    {"setback", QM_T_DOUBLE, TL(setback), 0.5, 0, 1, "-", "Share of the current stage's effort of each development lost.", NULL, TM(QM_TL_REORGANISATION)},
    {"merge", QM_T_INT, TL(merge), 1, 1, 1000, "-", "Merge commissioners in groups of this many (1: no merger).", NULL, TM(QM_TL_REORGANISATION)},
    {"split_share", QM_T_DOUBLE, TL(split_share), 0, 0, 1, "-", "Share of commissioners split in two.", NULL, TM(QM_TL_REORGANISATION)},
    {"share", QM_T_DOUBLE, TL(share), 0.5, 0, 1, "-", "externalise_analytics: share of analysts moved into CSUs; directive: share of commissioners told.", NULL, TM(QM_TL_EXTERNALISE) | TM(QM_TL_DIRECTIVE)},
    {"service", QM_T_STRING, TL(key), 0, 0, QM_NAME_MAX - 1, "-", "Service concerned (default: all).", NULL, TM(QM_TL_DIRECTIVE) | TM(QM_TL_DEMAND_SHOCK)},
    {"factor", QM_T_DOUBLE, TL(factor), 1.2, 0, 100, "-", "Demand multiplier.", NULL, TM(QM_TL_DEMAND_SHOCK)},
    {"clarity_loss", QM_T_DOUBLE, TL(clarity_loss), 0.3, 0, 1, "-", "Share of brief clarity lost in every engagement.", NULL, TM(QM_TL_PRIORITY_SHIFT)},
    {"key", QM_T_STRING, TL(key), 0, 1, QM_NAME_MAX - 1, "-", "Policy parameter to set, a policy.* path.", NULL, TM(QM_TL_POLICY)},
    {"value", QM_T_DOUBLE, TL(value), 0, -1e300, 1e300, "-", "New value (a number, true/false, or a name for payment_type).", NULL, TM(QM_TL_POLICY)},
    {NULL, 0, 0, 0, 0, 0, NULL, NULL, NULL, 0}};
#undef TL
#undef TM

#define G(field) offsetof(qm_provider_group, field)
#define GD(name, field, def, lo, hi, unit, doc) {name, QM_T_DIST, G(field), def, lo, hi, unit, doc, NULL, 0}
const qm_param_def qm_pgroup_fields[] = {
    {"prefix", QM_T_STRING, G(prefix), 0, 1, QM_NAME_MAX - 14, "-", "Name prefix for providers without an explicit name.", NULL, 0},
    {"kind", QM_T_ENUM, G(kind), QM_PK_NHS_ACUTE, 0, 0, "-", "Provider kind.", qm_provider_kind_names, 0},
    {"count", QM_T_INT, G(count), 1, 1, 1000000, "-", "Number of providers in the group.", NULL, 0},
    GD("capacity", capacity, 1000, 0, 1e9, "units/month", "Capacity per service offered."),
    GD("quality", quality, 0.7, 0, 1, "-", "True quality q of each service offered."),
    GD("cost_position", cost_position, 0.5, 0, 1, "-", "Unit cost position in the service's cost range (0 cheapest)."),
    GD("markup", markup, 0.05, -0.5, 5, "-", "Bid mark-up over unit cost."),
    GD("optimism", optimism, 0.02, -1, 1, "-", "Quality over-claim in bids."),
    GD("sharing", sharing, 0.5, 0, 1, "-", "w_p: willingness to share knowledge."),
    {NULL, 0, 0, 0, 0, 0, NULL, NULL, NULL, 0}};
#undef G
#undef GD

int qm_params_count(const qm_param_def *table)
{
    int n = 0;
    while (table[n].path)
        n++;
    return n;
}

void qm_params_defaults(const qm_param_def *table, void *base)
{
    char *b = base;
    for (const qm_param_def *d = table; d->path; d++) {
        void *f = b + d->offset;
        switch (d->type) {
        case QM_T_DOUBLE: *(double *)f = d->def; break;
        case QM_T_INT:
        case QM_T_BOOL:
        case QM_T_ENUM: *(int *)f = (int)d->def; break;
        case QM_T_DIST: {
            qm_dist *q = f;
            memset(q, 0, sizeof *q);
            q->kind = QM_DIST_CONST;
            q->a = d->def;
            break;
        }
        case QM_T_STRING: ((char *)f)[0] = '\0'; break;
        }
    }
}

const qm_param_def *qm_params_find(const qm_param_def *table, const char *path)
{
    for (const qm_param_def *d = table; d->path; d++)
        if (strcmp(d->path, path) == 0)
            return d;
    return NULL;
}

int qm_params_enum_index(const char *const *names, const char *name)
{
    for (int i = 0; names && names[i]; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return -1;
}

int qm_params_check(const qm_params *p, char *msg, size_t n)
{
    int bad = 0;
    msg[0] = '\0';
    if (p->monitor.info_base + p->monitor.info_analytic > 1.0 + 1e-12) {
        snprintf(msg, n, "monitoring.info_base + monitoring.info_analytic must not exceed 1 (got %g)",
                 p->monitor.info_base + p->monitor.info_analytic);
        bad++;
    }
    if (p->contract.age_min > p->contract.age_max) {
        if (!bad)
            snprintf(msg, n, "contract.age_min (%g) exceeds contract.age_max (%g)",
                     p->contract.age_min, p->contract.age_max);
        bad++;
    }
    return bad;
}
