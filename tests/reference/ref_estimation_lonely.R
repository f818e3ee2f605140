# Reference values under each survey.lonely.psu option (surveykit: SurveyDesign(...,
# lonely_psu=...)) on a constructed design: apiclus2's 40 districts in dnum order grouped
# 3 by 3 into strata (grp3), so stratum 14 holds a single PSU.
# Run from the repository root:  Rscript tests/reference/ref_estimation_lonely.R
source("tests/reference/ref_estimation_common.R")

cases <- list()
D <- "dlonely"
for (policy in c("fail", "remove", "adjust", "average", "certainty")) {
  options(survey.lonely.psu = policy)
  opt <- sprintf('options(survey.lonely.psu = "%s"); ', policy)
  run <- function(id, estimator, call, args, rows_fun) {
    full <- paste0(opt, call)
    res <- tryCatch(list(ok = ev(call)), error = function(e) list(error = conditionMessage(e)))
    vals <- if (!is.null(res$error)) list(error = res$error)
            else list(rows = rows_fun(res$ok), df = degf(designs[[D]]))
    args$lonely_psu <- policy
    cases[[length(cases) + 1]] <<- new_case(paste0(id, "_", policy), full, D, estimator, args, vals)
  }
  dat <- designs[[D]]$variables
  run("lonely_mean", "mean", "svymean(~api00 + api.stu, dlonely)",
      list(variables = c("api00", "api.stu")),
      function(e) svystat_rows(e, c("api00", "api.stu"), dat, df = degf(designs[[D]])))
  run("lonely_total", "total", "svytotal(~api.stu + stype, dlonely)",
      list(variables = c("api.stu", "stype")),
      function(e) svystat_rows(e, c("api.stu", "stype"), dat, df = degf(designs[[D]])))
  if (policy != "fail") {
    run("lonely_by_mean", "mean", "svyby(~api00, ~sch.wide, dlonely, svymean)",
        list(variables = "api00", by = "sch.wide"),
        function(e) svyby_rows(e, "sch.wide", "api00", dat))
    run("lonely_ratio", "ratio", "svyratio(~api00, ~api99, dlonely)",
        list(numerator = "api00", denominator = "api99"),
        function(e) data.frame(variable = "api00", denominator = "api99",
                               estimate = as.vector(coef(e)), se = as.vector(SE(e))))
  }
}
options(survey.lonely.psu = "fail")
write_cases(cases, "tests/reference/ref_estimation_lonely.json")
