# Reference values for sk.mi_combine / sk.with_imputations: Rubin's rules as mitools'
# MIcombine over with(svyimputationList, ...), on mitools' data(smi) (5 completed data sets
# of the Victorian Adolescent Health Cohort, exported to data/smi.csv).
# Run from the repository root:  Rscript tests/reference/ref_mi.R
suppressPackageStartupMessages({
  library(survey)
  library(mitools)
  library(jsonlite)
})
options(digits = 15, survey.lonely.psu = "fail", survey.replicates.mse = FALSE)

smi_long <- read.csv("tests/reference/data/smi.csv", stringsAsFactors = FALSE)
imputations <- imputationList(lapply(split(smi_long, smi_long$imputation), function(d) {
  rownames(d) <- NULL
  d
}))
designs <- svydesign(id = ~id, strata = ~sex, data = imputations)
rdesigns <- as.svrepdesign(designs, type = "JKn")
design_calls <- list(
  dsmi = "designs <- svydesign(id = ~id, strata = ~sex, data = imputationList(<smi.csv split by imputation>))",
  rsmi_jkn = "rdesigns <- as.svrepdesign(designs, type = \"JKn\")")
env <- list2env(list(designs = designs, rdesigns = rdesigns))

cases <- list()
mi_case <- function(id, design, expr, estimator, args, df_complete = NULL) {
  obj <- if (design == "dsmi") "designs" else "rdesigns"
  call <- sprintf("MIcombine(with(%s, %s)%s)", obj, expr,
                  if (is.null(df_complete)) "" else sprintf(", df.complete = %s", df_complete))
  res <- eval(parse(text = call), envir = env)
  s <- summary(res)
  v <- vcov(res)
  cases[[length(cases) + 1]] <<- list(
    id = id, call = call, design = design, estimator = estimator, args = args,
    df_complete = if (is.null(df_complete)) NULL else eval(parse(text = df_complete), envir = env),
    values = list(names = names(coef(res)), estimate = unname(coef(res)),
                  se = unname(sqrt(diag(v))), cov = unname(v), df = unname(res$df),
                  missing_info = unname(res$missinfo), ci_low = unname(s[["(lower"]]),
                  ci_high = unname(s[["upper)"]]), m = res$nimp))
}

mi_case("mi_mean_cistot", "dsmi", "svymean(~cistot)", "mean", list(variables = "cistot"))
mi_case("mi_mean_two", "dsmi", "svymean(~cistot + alcdhi)", "mean",
        list(variables = c("cistot", "alcdhi")))
mi_case("mi_mean_factor", "dsmi", "svymean(~drkfre)", "mean", list(variables = "drkfre"))
mi_case("mi_total_alcdhi", "dsmi", "svytotal(~alcdhi)", "total", list(variables = "alcdhi"))
mi_case("mi_mean_by_wave", "dsmi", "svyby(~cistot, ~wave, svymean)", "mean",
        list(variables = "cistot", by = "wave"))
mi_case("mi_mean_cistot_dfcomplete", "dsmi", "svymean(~cistot)", "mean",
        list(variables = "cistot"), df_complete = "degf(designs$designs[[1]])")
mi_case("mi_glm_binomial", "dsmi",
        "svyglm(alcdhi ~ wave + sex + parsmk, family = quasibinomial())", "glm",
        list(formula = "alcdhi ~ wave + sex + parsmk", family = "binomial"))
mi_case("mi_glm_gaussian_dfcomplete", "dsmi", "svyglm(cistot ~ wave + sex + parsmk)", "glm",
        list(formula = "cistot ~ wave + sex + parsmk", family = "gaussian"),
        df_complete = "degf(designs$designs[[1]]) - 3")
mi_case("mi_mean_cistot_jkn", "rsmi_jkn", "svymean(~cistot)", "mean",
        list(variables = "cistot"))
mi_case("mi_total_by_sex_jkn", "rsmi_jkn", "svyby(~alcdhi, ~sex, svytotal)", "total",
        list(variables = "alcdhi", by = "sex"))

out <- list(R_version = R.version.string,
            survey_version = as.character(packageVersion("survey")),
            mitools_version = as.character(packageVersion("mitools")),
            generated = format(Sys.time(), "%Y-%m-%d", tz = "UTC"),
            designs = design_calls, cases = cases)
write_json(out, "tests/reference/ref_mi.json", digits = NA, auto_unbox = TRUE, pretty = TRUE,
           na = "null", null = "null")
message(sprintf("ref_mi.json: %d cases", length(cases)))
