# Reference values for sk.predictive_margins: R survey's svypredmeans(adjustmodel, ~group)
# after svyglm fits of several families and links, on the synthetic two-wave survey
# (linearization, JKn, bootstrap) and NHANES (the example of ?svypredmeans). A character
# group variable must be wrapped in factor() for R (svypredmeans sets it to one value per
# prediction, and model.matrix needs the factor's levels); surveykit keeps the levels itself.
# Run from the repository root:  Rscript tests/reference/ref_predmeans.R
source("tests/reference/ref_glm_common.R")
nhanes$race_f <- factor(nhanes$race)
designs$dnhanes <- update(designs$dnhanes, race_f = factor(race))
# svypredmeans refits the model with update(), which looks the design up by name from the
# global environment
for (nm in names(designs)) assign(nm, designs[[nm]], envir = globalenv())

cases <- list()
pm_case <- function(id, design, formula, family_r, family, by, group, link = NULL) {
  fit_call <- sprintf("svyglm(%s, design = %s, family = %s)", formula, design, family_r)
  call <- sprintf("svypredmeans(%s, ~%s)", fit_call, group)
  res <- eval(parse(text = call), envir = globalenv())
  v <- vcov(res)
  args <- list(formula = formula, family = family, by = by)
  if (!is.null(link)) args$link <- link
  cases[[length(cases) + 1]] <<- list(
    id = id, call = call, design = design, estimator = "predictive_margins", args = args,
    values = list(groups = names(coef(res)), estimate = unname(coef(res)),
                  se = unname(sqrt(diag(v))), cov = unname(v)))
}

for (D in c("dsurvey", "rsurvey_jkn", "rsurvey_boot")) {
  pm_case(paste0("pm_binomial_wave_", D), D, "satisfied ~ age + sex", "quasibinomial()",
          "binomial", "wave", "wave")
}
pm_case("pm_gaussian_wave_dsurvey", "dsurvey", "score ~ age + sex", "gaussian()", "gaussian",
        "wave", "wave")
pm_case("pm_gaussian_region_rsurvey_boot", "rsurvey_boot", "score ~ age + wave", "gaussian()",
        "gaussian", "region", "factor(region)")
pm_case("pm_poisson_offset_wave_dsurvey", "dsurvey", "visits ~ age + sex + offset(log(exposure))",
        "poisson()", "poisson", "wave", "wave")
pm_case("pm_gamma_log_region_dsurvey", "dsurvey", "cost ~ age + sex", 'Gamma(link = "log")',
        "gamma", "region", "factor(region)", link = "log")
pm_case("pm_probit_region_rsurvey_jkn", "rsurvey_jkn", "satisfied ~ age + wave",
        'quasibinomial(link = "probit")', "binomial", "region", "factor(region)", link = "probit")
pm_case("pm_binomial_race_factor_dnhanes", "dnhanes", "HI_CHOL ~ agecat + RIAGENDR",
        "quasibinomial()", "binomial", "race_f", "race_f")
pm_case("pm_binomial_race_numeric_dnhanes", "dnhanes", "HI_CHOL ~ agecat + RIAGENDR",
        "quasibinomial()", "binomial", "race", "race")

write_cases(cases, "tests/reference/ref_predmeans.json")
