# Reference values for sk.crosstab (svychisq: F, Chisq, Wald, adjWald), sk.ttest (svyttest),
# sk.glm (svyglm: gaussian, quasibinomial, poisson) and sk.contrast (svycontrast).
# Run from the repository root:  Rscript tests/reference/ref_estimation_models.R
source("tests/reference/ref_estimation_common.R")

cases <- list()
add <- function(id, call, design, estimator, args, vals) {
  vals$df <- degf(designs[[design]])
  cases[[length(cases) + 1]] <<- new_case(id, call, design, estimator, args, vals)
}

# --- svychisq + cell proportions ---------------------------------------------------------
chisq_case <- function(design, row, col) {
  stats <- c("F", "Chisq", "Wald", "adjWald")
  calls <- sprintf('svychisq(~%s + %s, %s, statistic = "%s")', row, col, design, stats)
  tests <- do.call(rbind, lapply(seq_along(stats), function(i) {
    t <- ev(calls[i])
    p <- t$parameter
    data.frame(test = stats[i], statistic = unname(t$statistic),
               ndf = unname(p[1]), ddf = if (length(p) > 1) unname(p[2]) else NA_real_,
               p_value = unname(t$p.value), stringsAsFactors = FALSE)
  }))
  pcall <- sprintf("svymean(~interaction(%s, %s, sep = \":\"), %s)", row, col, design)
  m <- ev(pcall)
  cell <- strsplit(sub("^interaction.*\\)", "", names(coef(m))), ":", fixed = TRUE)
  props <- data.frame(row = vapply(cell, `[`, "", 1), col = vapply(cell, `[`, "", 2),
                      estimate = unname(coef(m)), se = unname(SE(m)), stringsAsFactors = FALSE)
  names(props)[1:2] <- c(row, col)
  add(sprintf("crosstab_%s_%s_%s", row, col, design), paste(c(calls, pcall), collapse = "; "),
      design, "crosstab", list(row = row, col = col), list(tests = tests, proportions = props))
}
for (D in c("dsrs", "dstrat", "dclus1", "dclus2", "rclus1_jk1", "rstrat_jkn", "rpairs_brr",
            "rpairs_fay", "rstrat_boot", "rclus1_subboot")) chisq_case(D, "stype", "sch.wide")
chisq_case("dclus1", "sch.wide", "awards")
chisq_case("dstrat", "stype", "awards")

# --- svyttest ------------------------------------------------------------------------------
ttest_case <- function(id, design, template, args) {
  call <- sprintf(template, design)
  t <- ev(call)
  add(id, call, design, "ttest", args,
      list(statistic = unname(t$statistic), df_t = unname(t$parameter),
           p_value = unname(t$p.value), estimate = unname(t$estimate),
           ci_low = unname(t$conf.int[1]), ci_high = unname(t$conf.int[2])))
}
for (D in c("dsrs", "dstrat", "dclus1", "dclus2", "rclus1_jk1", "rstrat_jkn", "rpairs_fay",
            "rstrat_boot")) {
  ttest_case(paste0("ttest_", D), D, "svyttest(api00 ~ sch.wide, %s)",
             list(variable = "api00", by = "sch.wide"))
}
ttest_case("ttest_onesample_dclus1", "dclus1", "svyttest(api00 ~ 0, %s)", list(variable = "api00"))
ttest_case("ttest_narm_dclus1", "dclus1", "svyttest(acs.k3 ~ sch.wide, %s)",
           list(variable = "acs.k3", by = "sch.wide"))

# --- svyglm --------------------------------------------------------------------------------
glm_case <- function(id, design, formula, family_r, family_sk) {
  call <- sprintf("svyglm(%s, %s, family = %s)", formula, design, family_r)
  m <- ev(call)
  s <- summary(m)
  cf <- coef(s)
  ci <- confint(m)
  add(id, call, design, "glm", list(formula = formula, family = family_sk),
      list(terms = rownames(cf), estimate = unname(cf[, 1]), se = unname(cf[, 2]),
           statistic = unname(cf[, 3]), p_value = unname(cf[, 4]),
           ci_low = unname(ci[, 1]), ci_high = unname(ci[, 2]),
           df_residual = m$df.residual, dispersion = as.vector(s$dispersion),
           iter = m$iter))
}
for (D in c("dsrs", "dstrat", "dclus1", "dclus2", "rclus1_jk1", "rstrat_jkn", "rpairs_brr",
            "rpairs_fay", "rstrat_boot", "rclus1_subboot")) {
  glm_case(paste0("glm_gaussian_", D), D, "api00 ~ ell + meals + mobility", "gaussian()", "gaussian")
}
for (D in c("dstrat", "dclus1", "dclus2", "rclus1_jk1", "rpairs_fay")) {
  glm_case(paste0("glm_binomial_", D), D, "sch.wide ~ ell + meals", "quasibinomial()", "binomial")
}
for (D in c("dstrat", "dclus1", "rstrat_jkn", "rstrat_boot")) {
  glm_case(paste0("glm_poisson_", D), D, "api.stu ~ ell + meals", "poisson()", "poisson")
}
glm_case("glm_gaussian_factor_dclus2", "dclus2", "api00 ~ ell + stype", "gaussian()", "gaussian")
glm_case("glm_gaussian_interaction_dstrat", "dstrat", "api00 ~ ell * meals", "gaussian()", "gaussian")
glm_case("glm_gaussian_narm_dclus1", "dclus1", "api00 ~ acs.k3 + meals", "gaussian()", "gaussian")
glm_case("glm_binomial_factor_dclus1", "dclus1", "sch.wide ~ meals + stype", "quasibinomial()", "binomial")

# --- svycontrast -------------------------------------------------------------------------
contrast_case <- function(id, design, stat_call, contrast_call, contrasts, estimator, args) {
  s_call <- sprintf(stat_call, design)
  full <- sprintf("est <- %s; %s", s_call, contrast_call)
  env <- list2env(c(designs, list(est = ev(s_call))))
  r <- eval(parse(text = contrast_call), envir = env)
  add(id, full, design, "contrast",
      list(estimator = estimator, stat_args = args, contrasts = contrasts),
      list(names = names(coef(r)), estimate = unname(as.vector(coef(r))),
           se = unname(as.vector(SE(r)))))
}
for (D in c("dstrat", "dclus1", "dclus2", "rclus1_jk1", "rpairs_brr")) {
  contrast_case(paste0("contrast_mean_", D), D, "svymean(~api00 + api99, %s)",
                "svycontrast(est, c(api00 = 1, api99 = -1))",
                list(contrast = list(api00 = 1, api99 = -1)), "mean",
                list(variables = c("api00", "api99")))
}
contrast_case("contrast_total_two_dstrat", "dstrat", "svytotal(~api00 + api99, %s)",
              "svycontrast(est, list(diff = c(api00 = 1, api99 = -1), avg = c(api00 = 0.5, api99 = 0.5)))",
              list(diff = list(api00 = 1, api99 = -1), avg = list(api00 = 0.5, api99 = 0.5)),
              "total", list(variables = c("api00", "api99")))
for (D in c("dclus1", "dstrat", "rclus1_jk1", "rstrat_boot")) {
  contrast_case(paste0("contrast_by_", D), D, "svyby(~api00, ~stype, %s, svymean, covmat = TRUE)",
                "svycontrast(est, list(EvsH = c(E = 1, H = -1, M = 0), MvsAvg = c(E = -0.5, H = -0.5, M = 1)))",
                list(EvsH = list(E = 1, H = -1, M = 0), MvsAvg = list(E = -0.5, H = -0.5, M = 1)),
                "mean", list(variables = "api00", by = "stype"))
}

write_cases(cases, "tests/reference/ref_estimation_models.json")
