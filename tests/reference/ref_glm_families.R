# Reference values for sk.glm families, links and offsets: svyglm with quasibinomial links
# (probit, cloglog, cauchit, log), poisson/quasipoisson links (log, identity, sqrt) with
# offsets in the formula and as offset=, Gamma and inverse.gaussian with each of their links,
# and gaussian with log/inverse links; on a synthetic two-wave survey (linearization, JKn,
# bootstrap), NHANES and the 2004 election PPS sample.
# Run from the repository root:  Rscript tests/reference/ref_glm_families.R
source("tests/reference/ref_glm_common.R")

r_family <- c(gaussian = "gaussian", binomial = "quasibinomial",
              quasibinomial = "quasibinomial", poisson = "poisson",
              quasipoisson = "quasipoisson", gamma = "Gamma",
              inverse_gaussian = "inverse.gaussian")

cases <- list()
glm_case <- function(design, formula, family, link = NULL, offset = NULL, id = NULL,
                     start = NULL) {
  fam <- sprintf("%s(%s)", r_family[[family]],
                 if (is.null(link)) "" else sprintf('link = "%s"', link))
  call <- sprintf("svyglm(%s, %s, family = %s%s%s)", formula, design, fam,
                  if (is.null(offset)) "" else paste0(", offset = ", offset),
                  if (is.null(start)) "" else sprintf(", start = c(%s)",
                                                      paste(start, collapse = ", ")))
  m <- ev(call)
  s <- summary(m)
  cf <- coef(s)
  ci <- confint(m)
  if (is.null(id)) {
    id <- paste(c("glm", family, if (is.null(link)) "default" else gsub("[^a-z0-9]", "", link),
                  if (grepl("offset", formula) || !is.null(offset)) "offset", design),
                collapse = "_")
  }
  args <- list(formula = formula, family = family)
  if (!is.null(link)) args$link <- link
  if (!is.null(offset)) args$offset <- offset
  if (!is.null(start)) args$start <- start
  cases[[length(cases) + 1]] <<- list(
    id = id, call = call, design = design, estimator = "glm", args = args,
    values = list(terms = rownames(cf), estimate = unname(cf[, 1]), se = unname(cf[, 2]),
                  statistic = unname(cf[, 3]), p_value = unname(cf[, 4]),
                  ci_low = unname(ci[, 1]), ci_high = unname(ci[, 2]),
                  df_residual = m$df.residual, dispersion = as.vector(s$dispersion),
                  iter = m$iter, converged = m$converged, link = m$family$link))
}

sat <- "satisfied ~ age + sex"
# --- binomial links -------------------------------------------------------------------------
for (D in c("dsurvey", "rsurvey_jkn", "rsurvey_boot")) glm_case(D, sat, "binomial", "probit")
for (D in c("dsurvey", "rsurvey_jkn")) glm_case(D, sat, "binomial", "cloglog")
for (D in c("dsurvey", "rsurvey_boot")) glm_case(D, sat, "binomial", "log")
glm_case("dsurvey", sat, "binomial", "cauchit")
glm_case("dsurvey", "satisfied ~ age + sex + region", "quasibinomial", "probit",
         id = "glm_quasibinomial_probit_region_dsurvey")
for (L in c("probit", "cloglog", "log")) glm_case("dnhanes", "HI_CHOL ~ agecat + RIAGENDR", "binomial", L)

# step halving (R warns "step size truncated due to divergence") from poor starting values
glm_case("dsurvey", "score45 ~ sex", "binomial", "log", start = c(-0.5, 0),
         id = "glm_binomial_log_halving_dsurvey")
glm_case("rsurvey_jkn", "score45 ~ sex", "binomial", "log", start = c(-1.5, 0.01),
         id = "glm_binomial_log_halving_rsurvey_jkn")

# --- poisson: offsets and links -------------------------------------------------------------
vis_off <- "visits ~ age + sex + offset(log(exposure))"
for (D in c("dsurvey", "rsurvey_jkn", "rsurvey_boot")) glm_case(D, vis_off, "poisson")
for (D in c("dsurvey", "rsurvey_jkn")) glm_case(D, "visits ~ age + sex", "quasipoisson",
                                                 offset = "log(exposure)")
glm_case("dsurvey", "visits ~ age + offset(log(exposure))", "poisson", offset = "0.1 * wave",
         id = "glm_poisson_two_offsets_dsurvey")
glm_case("dsurvey", "visits ~ offset(log(exposure))", "poisson",
         id = "glm_poisson_offset_only_dsurvey")
glm_case("dsurvey", "visits ~ age + sex", "poisson", "identity")
glm_case("dsurvey", "visits ~ age + sex", "quasipoisson", "sqrt")
glm_case("dnhanes", "HI_CHOL ~ agecat + RIAGENDR", "quasipoisson")
glm_case("delection", "Kerry ~ log(TotPrecincts) + offset(log(votes))", "quasipoisson")

# --- Gamma ------------------------------------------------------------------------------------
cost <- "cost ~ age + sex"
glm_case("dsurvey", cost, "gamma")
for (L in c("identity", "log")) glm_case("dsurvey", cost, "gamma", L)
for (D in c("rsurvey_jkn", "rsurvey_boot")) glm_case(D, cost, "gamma", "log")
glm_case("dsurvey", "cost ~ age + sex + offset(log(exposure))", "gamma", "log")
glm_case("delection", "votes ~ log(TotPrecincts)", "gamma", "log")

# --- inverse Gaussian ----------------------------------------------------------------------
dur <- "duration ~ age + sex"
glm_case("dsurvey", dur, "inverse_gaussian")
for (L in c("inverse", "identity", "log")) glm_case("dsurvey", dur, "inverse_gaussian", L)
glm_case("rsurvey_jkn", dur, "inverse_gaussian", "log")

# --- gaussian with other links -------------------------------------------------------------
for (L in c("log", "inverse")) glm_case("dsurvey", "score ~ age + sex", "gaussian", L)

write_cases(cases, "tests/reference/ref_glm_families.json")
