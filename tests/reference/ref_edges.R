# R reference values at the edges (issue 12): zero weights, relative weights, subsets of
# post-stratified designs, missing values, unused factor levels, a certainty stratum, ties of
# cumulative weights under JKn, and refusals. The data are NOT R's api data: a synthetic
# two-stage municipal survey (strata = regions, PSUs = municipalities, fpc at both stages,
# region 4 a certainty stratum), made deterministically here and exported to
# tests/reference/data/edges_muni.csv (17 significant digits) so Python reads the same rows,
# plus R survey's own nhanes data (tests/reference/data/nhanes.csv, from export_other_data.R).
# Run from the repository root:  Rscript tests/reference/ref_edges.R
suppressPackageStartupMessages({
  library(survey)
  library(jsonlite)
})
options(digits = 15, survey.lonely.psu = "fail", survey.replicates.mse = FALSE)

# --- the municipal survey ----------------------------------------------------------------
set.seed(20261203)
Nh <- c(20, 25, 30, 3)        # municipalities in each region's frame
nh <- c(4, 5, 3, 3)           # sampled; region 4 takes all three (certainty stratum)
rows <- list()
for (h in 1:4) for (k in 1:nh[h]) {
  m <- 2L * sample(7:11, 1)   # persons sampled in the municipality (even: see tiey)
  M <- sample(400:3000, 1)    # persons living there
  muni <- 100L * h + k
  pool <- as.integer(k %% 2 == 0)  # a municipal attribute: constant within the PSU
  age <- sample(18:90, m, replace = TRUE)
  rows[[length(rows) + 1]] <- data.frame(
    region = h, muni = muni, pid = seq_len(m), N1 = Nh[h], M = M,
    sex = sample(c("F", "M"), m, replace = TRUE),
    age = age,
    agegrp = cut(age, c(17, 39, 66, 90), labels = c("18-39", "40-66", "67+")),
    income = round(200 + 4 * age + 30 * h + rnorm(m, 0, 60), 1),
    smoker = rbinom(m, 1, 0.15 + 0.05 * h),
    pool = pool,
    sat = sample(1:4, m, replace = TRUE, prob = c(0.1, 0.2, 0.4, 0.3)),
    q = sample(c(1:5, 98, 99), m, replace = TRUE, prob = c(.05, .1, .2, .3, .2, .1, .05)),
    # half the rows of every municipality at or below 480: every replicate's CDF at 480
    # is exactly one half (a tie of cumulative weights)
    tiey = c(sample(c(455, 470, 480), m / 2, replace = TRUE),
             sample(c(482, 490, 500), m / 2, replace = TRUE)),
    stringsAsFactors = FALSE)
}
muni <- do.call(rbind, rows)
muni$w <- (muni$N1 / ave(muni$muni, muni$region, FUN = function(x) length(unique(x)))) *
  (muni$M / ave(muni$pid, muni$muni, FUN = length))
muni$income[c(3, 17, 40, 41, 77, 120, 150)] <- NA
muni$smoker[c(5, 22, 23, 60, 99, 131, 170, 171)] <- NA
muni$smoker[muni$muni == 302] <- NA   # a whole PSU without an answer
# zero weights: all of municipality 102 and a few single persons
muni$wz <- ifelse(muni$muni == 102, 0, muni$w)
muni$wz[c(30, 90, 140)] <- 0
# relative weights: scaled to mean one over the sample
muni$wrel <- muni$w / mean(muni$w)
muni$agegrp <- as.character(muni$agegrp)
out <- muni
for (v in c("w", "wz", "wrel")) out[[v]] <- sprintf("%.17g", out[[v]])
write.csv(out, "tests/reference/data/edges_muni.csv", row.names = FALSE, na = "")
muni <- read.csv("tests/reference/data/edges_muni.csv", stringsAsFactors = FALSE)
stopifnot(identical(muni$w, as.numeric(out$w)))
muni$satf <- factor(muni$sat, levels = 1:5)   # level 5: nobody chose it

data(nhanes)  # tests/reference/data/nhanes.csv is written by export_other_data.R

dmuni <- svydesign(id = ~muni + pid, strata = ~region, fpc = ~N1 + M, data = muni)
dzero <- svydesign(id = ~muni, strata = ~region, weights = ~wz, data = muni)
drel <- svydesign(id = ~muni, strata = ~region, weights = ~wrel, data = muni)
dnhanes <- svydesign(id = ~SDMVPSU, strata = ~SDMVSTRA, weights = ~WTMEC2YR, nest = TRUE,
                     data = nhanes)
sexpop <- data.frame(sex = c("F", "M"), Freq = c(20500, 19500))
dps <- postStratify(dmuni, ~sex, sexpop)
dcal <- calibrate(dmuni, ~sex + agegrp, c(40000, 19500, 15000, 10000))

cases <- list()
add <- function(id, class, call, values, ...) {
  cases[[length(cases) + 1]] <<- c(list(id = id, class = class, call = call), list(...),
                                   list(values = values))
}
ev <- function(call) eval(parse(text = call))

# --- ttest on a subset (read-only arrays under pandas 3) ----------------------------------
for (spec in list(list("ttest_subset", "svyttest(income ~ sex, subset(dmuni, region != 4))",
                       "region != 4"),
                  list("ttest_subset_zero", "svyttest(income ~ sex, subset(dzero, age >= 30))",
                       "age >= 30"))) {
  r <- ev(spec[[2]])
  add(spec[[1]], "ttest_subset", spec[[2]],
      list(estimate = unname(r$estimate), statistic = unname(r$statistic),
           df = unname(r$parameter), p_value = r$p.value),
      design = if (grepl("dzero", spec[[2]])) "dzero" else "dmuni", subset = spec[[3]])
}

# --- svyciprop with na.rm: df and rows of the design given ----------------------------
for (m in c("mean", "beta", "logit", "xlogit", "asin", "likelihood")) {
  for (d in c("dmuni", "dnhanes")) {
    f <- if (d == "dmuni") "~smoker" else "~I(HI_CHOL == 1)"
    call <- sprintf('svyciprop(%s, %s, method = "%s", na.rm = TRUE)', f, d, m)
    r <- ev(call)
    add(paste0("ciprop_na_", m, "_", d), "proportion_na", call,
        list(estimate = as.numeric(unclass(r)), se = as.numeric(SE(r)),
             ci_low = unname(attr(r, "ci")[1]), ci_high = unname(attr(r, "ci")[2])),
        design = d, method = m)
  }
}

# --- likelihood interval at a large design effect ------------------------------------
for (d in c("dmuni", "dzero")) {
  call <- sprintf('svyciprop(~pool, %s, method = "likelihood")', d)
  r <- ev(call)
  deff_int <- unname(deff(svymean(~pool, ev(d), deff = TRUE)))
  add(paste0("ciprop_lik_deff_", d), "likelihood_deff", call,
      list(estimate = as.numeric(unclass(r)), ci_low = unname(attr(r, "ci")[1]),
           ci_high = unname(attr(r, "ci")[2]), deff = deff_int), design = d)
}

# --- svychisq: design df with zero-weight PSUs; subsets of calibrated designs ----------
chisq_rows <- function(call) {
  out <- list()
  for (s in c("F", "Chisq", "Wald", "adjWald")) {
    r <- ev(sub(")$", sprintf(', statistic = "%s")', s), call))
    par <- unname(r$parameter)
    out[[s]] <- list(statistic = as.numeric(r$statistic), ndf = par[1],
                     ddf = if (length(par) > 1) par[2] else "Inf",
                     p_value = as.numeric(r$p.value))
  }
  out
}
for (spec in list(list("chisq_zero_psu", "svychisq(~sex + agegrp, dzero)", "dzero", NULL),
                  list("chisq_ps_subset", "svychisq(~sex + agegrp, subset(dps, region != 2))",
                       "dps", "region != 2"),
                  list("chisq_cal_subset", "svychisq(~smoker + agegrp, subset(dcal, age < 75))",
                       "dcal", "age < 75"),
                  list("chisq_plain_subset",
                       "svychisq(~sex + agegrp, subset(dmuni, region != 2))",
                       "dmuni", "region != 2"))) {
  add(spec[[1]], "crosstab_df", spec[[2]], chisq_rows(spec[[2]]), design = spec[[3]],
      subset = spec[[4]])
}

# --- svyglm dispersion with zero weights and missing values ----------------------------
for (spec in list(list("glm_zero_na", "svyglm(income ~ age + sex, dzero)", "dzero", NULL),
                  list("glm_ps_subset_na", "svyglm(income ~ age + sex, subset(dps, region != 2))",
                       "dps", "region != 2"))) {
  r <- ev(spec[[2]])
  s <- summary(r)
  add(spec[[1]], "glm_dispersion", spec[[2]],
      list(estimate = unname(coef(r)), se = unname(SE(r)), dispersion = unname(s$dispersion[1]),
           df_residual = r$df.residual), design = spec[[3]], subset = spec[[4]],
      formula = "income ~ age + sex")
}

# --- deff with relative weights (weights summing to less than the rows) ---------------
call <- "svyby(~income, ~agegrp, drel, svymean, deff = TRUE, na.rm = TRUE)"
r <- suppressWarnings(ev(call))
add("deff_rel_by", "deff_relative", call,
    list(agegrp = as.character(r$agegrp), estimate = unname(coef(r)), se = unname(SE(r)),
         deff = unname(deff(r))), design = "drel", by = "agegrp")
call <- "svyby(~income, ~region, drel, svymean, deff = TRUE, na.rm = TRUE)"
r <- suppressWarnings(ev(call))
add("deff_rel_by_region", "deff_relative", call,
    list(region = as.character(r$region), estimate = unname(coef(r)), se = unname(SE(r)),
         deff = unname(deff(r))), design = "drel", by = "region")

# --- unused factor levels: estimate 0, SE 0 -------------------------------------------
for (spec in list(list("unused_mean", "svymean(~satf, dmuni)"),
                  list("unused_total", "svytotal(~satf, dmuni)"),
                  list("unused_mean_zero", "svymean(~satf, dzero)"))) {
  r <- ev(spec[[2]])
  add(spec[[1]], "unused_levels", spec[[2]],
      list(level = sub("^satf", "", names(coef(r))), estimate = unname(coef(r)),
           se = unname(SE(r))),
      design = if (grepl("dzero", spec[[2]])) "dzero" else "dmuni")
}
call <- "svyby(~satf, ~sex, dmuni, svymean)"
r <- ev(call)
add("unused_by_mean", "unused_levels", call,
    list(sex = as.character(r$sex), level = as.character(1:5),
         estimate = unname(as.matrix(r[, paste0("satf", 1:5)])),
         se = unname(as.matrix(SE(r)))),
    design = "dmuni", by = "sex")

# --- JKn replicate variance with identical replicate values (a quantile at a tie) ----
rmuni <- as.svrepdesign(dmuni, type = "JKn")
for (spec in list(list("jkn_quantile_tie", "svyquantile(~tiey, rmuni, 0.5)"),
                  list("jkn_quantile_tie_q", "svyquantile(~tiey, rmuni, c(0.25, 0.5))"))) {
  r <- ev(spec[[2]])
  q <- r$tiey
  add(spec[[1]], "replicate_flat", spec[[2]],
      list(estimate = unname(q[, 1]), ci_low = unname(q[, 2]), ci_high = unname(q[, 3]),
           se = unname(q[, 4])),
      design = "rmuni", quantiles = if (grepl("c\\(", spec[[2]])) c(0.25, 0.5) else 0.5)
}
# integer weights and 3 or 5 PSUs per stratum (JKn multipliers 1.5 and 1.25): every
# replicate's CDF at 480 is the same double, 0.3, which a floating mean of the replicates
# can miss by one unit in the last place
set.seed(20261204)
tie <- do.call(rbind, lapply(list(c(1, 3, 4), c(2, 5, 8), c(3, 3, 12)), function(s) {
  do.call(rbind, lapply(seq_len(s[2]), function(k) data.frame(
    st = s[1], psu = 10 * s[1] + k, w = s[3],
    y = c(480, sample(c(455, 470, 480), 2, replace = TRUE),
          sample(c(482, 490, 500), 7, replace = TRUE)))))
}))
write.csv(tie, "tests/reference/data/edges_tie.csv", row.names = FALSE)
rtie <- as.svrepdesign(svydesign(id = ~psu, strata = ~st, weights = ~w, data = tie),
                       type = "JKn")
call <- "svyquantile(~y, rtie, c(0.3, 0.5))"
r <- ev(call)
add("jkn_quantile_tie_03", "replicate_flat", call,
    list(estimate = unname(r$y[, 1]), ci_low = unname(r$y[, 2]), ci_high = unname(r$y[, 3]),
         se = unname(r$y[, 4])), design = "rtie", quantiles = c(0.3, 0.5))
call <- "svymean(~tiey <= 480, rmuni)"
r <- ev(call)
add("jkn_mean_tie", "replicate_flat", call,
    list(estimate = unname(coef(r))[2], se = unname(SE(r))[2]), design = "rmuni")

# --- top-two-box with missing codes 98/99 dropped first -------------------------------
call <- "svymean(~I(q >= 4), subset(dmuni, !q %in% c(98, 99)))"
r <- ev(call)
add("top_two_box_missing_codes", "missing_codes", call,
    list(estimate = unname(coef(r))[2], se = unname(SE(r))[2]), design = "dmuni")

# --- refusals ----------------------------------------------------------------------------
dunstrat <- svydesign(id = ~muni, weights = ~w, data = muni)
call <- 'as.svrepdesign(svydesign(id = ~muni, weights = ~w, data = muni), type = "JKn")'
msg <- tryCatch({ev(call); ""}, error = function(e) conditionMessage(e))
add("jkn_unstratified", "refusal", call, list(error = msg))

doc <- list(R_version = R.version.string, survey_version = as.character(packageVersion("survey")),
            designs = list(
              dmuni = "svydesign(id = ~muni + pid, strata = ~region, fpc = ~N1 + M, data = muni)",
              dzero = "svydesign(id = ~muni, strata = ~region, weights = ~wz, data = muni)",
              drel = "svydesign(id = ~muni, strata = ~region, weights = ~wrel, data = muni)",
              dnhanes = paste("svydesign(id = ~SDMVPSU, strata = ~SDMVSTRA, weights = ~WTMEC2YR,",
                              "nest = TRUE, data = nhanes)"),
              dps = "postStratify(dmuni, ~sex, data.frame(sex = c('F', 'M'), Freq = c(20500, 19500)))",
              dcal = "calibrate(dmuni, ~sex + agegrp, c(40000, 19500, 15000, 10000))",
              rmuni = 'as.svrepdesign(dmuni, type = "JKn")',
              rtie = paste('as.svrepdesign(svydesign(id = ~psu, strata = ~st, weights = ~w,',
                           'data = tie), type = "JKn")')),
            cases = cases)
writeLines(toJSON(doc, auto_unbox = TRUE, digits = NA, pretty = TRUE, null = "null", na = "null"),
           "tests/reference/ref_edges.json")
cat(length(cases), "cases\n")
