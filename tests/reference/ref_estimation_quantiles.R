# Reference values for sk.proportion (svyciprop confidence-interval methods) and sk.quantile
# (svyquantile: Woodruff and other interval types, quantile rules, replicate designs).
# Run from the repository root:  Rscript tests/reference/ref_estimation_quantiles.R
source("tests/reference/ref_estimation_common.R")

cases <- list()
add <- function(id, call, design, estimator, args, rows) {
  vals <- list(rows = rows, df = degf(designs[[design]]))
  cases[[length(cases) + 1]] <<- new_case(id, call, design, estimator, args, vals)
}

# --- svyciprop: one call per level of sch.wide ----------------------------------------
ciprop_case <- function(design, method) {
  levs <- c("No", "Yes")
  calls <- sprintf('svyciprop(~I(sch.wide == "%s"), %s, method = "%s")', levs, design, method)
  rows <- do.call(rbind, lapply(seq_along(levs), function(i) {
    p <- ev(calls[i])
    ci <- attr(p, "ci")
    data.frame(variable = "sch.wide", level = levs[i], estimate = as.vector(p),
               se = as.vector(SE(p)), ci_low = unname(ci[1]), ci_high = unname(ci[2]),
               stringsAsFactors = FALSE)
  }))
  add(sprintf("ciprop_%s_%s", method, design), paste(calls, collapse = "; "), design,
      "proportion", list(variables = "sch.wide", ci_method = method), rows)
}
methods <- c("logit", "likelihood", "asin", "beta", "mean", "xlogit")
for (D in c("dclus1", "dstrat")) for (m in methods) ciprop_case(D, m)
# (R gives no likelihood interval on replicate designs: svrepglm has no profile)
for (m in setdiff(methods, "likelihood")) ciprop_case("rclus1_jk1", m)
for (D in c("dsrs", "dclus2", "rstrat_jkn", "rpairs_brr", "rpairs_fay", "rstrat_boot",
            "rclus1_subboot")) ciprop_case(D, "logit")
for (D in c("dclus2", "rpairs_brr")) ciprop_case(D, "beta")

# svyciprop within domains
call <- 'svyby(~I(sch.wide == "Yes"), ~stype, dclus1, svyciprop, vartype = c("se", "ci"), method = "logit")'
b <- ev(call)
ci <- b[, c("ci_l", "ci_u")]  # the svyciprop intervals (confint(b) would be Wald)
add("ciprop_by_logit_dclus1", call, "dclus1", "proportion",
    list(variables = "sch.wide", by = "stype", ci_method = "logit", level = "Yes"),
    data.frame(stype = as.character(b$stype), variable = "sch.wide", level = "Yes",
               estimate = unname(coef(b)), se = unname(SE(b)), ci_low = unname(ci[, 1]),
               ci_high = unname(ci[, 2]), stringsAsFactors = FALSE))

# --- svyquantile -----------------------------------------------------------------------
quant_case <- function(id, design, template, variable, args) {
  call <- sprintf(template, design)
  q <- ev(call)
  m <- q[[variable]]
  rows <- data.frame(variable = variable, quantile = as.numeric(rownames(m)),
                     estimate = m[, 1], ci_low = m[, 2], ci_high = m[, 3], se = m[, 4],
                     stringsAsFactors = FALSE)
  add(id, call, design, "quantile", args, rows)
}
qs <- "c(0.25, 0.5, 0.75)"
for (D in all_design_names) {
  quant_case(paste0("quantile_", D), D,
             paste0("svyquantile(~api00, %s, quantiles = ", qs, ", ci = TRUE)"), "api00",
             list(variables = "api00", quantiles = c(0.25, 0.5, 0.75)))
}
for (rule in c("school", "shahvaish", "hf1", "hf2", "hf3", "hf4", "hf5", "hf6", "hf7", "hf8", "hf9")) {
  quant_case(paste0("quantile_qrule_", rule, "_dclus1"), "dclus1",
             paste0("svyquantile(~api00, %s, quantiles = ", qs, ", ci = TRUE, qrule = \"", rule, "\")"),
             "api00", list(variables = "api00", quantiles = c(0.25, 0.5, 0.75), qrule = rule))
}
for (it in c("beta", "xlogit", "asin", "score")) {
  quant_case(paste0("quantile_interval_", it, "_dstrat"), "dstrat",
             paste0("svyquantile(~api00, %s, quantiles = ", qs, ", ci = TRUE, interval.type = \"", it, "\")"),
             "api00", list(variables = "api00", quantiles = c(0.25, 0.5, 0.75), interval_type = it))
}
for (D in c("rclus1_jk1", "rstrat_boot", "rpairs_brr")) {
  quant_case(paste0("quantile_interval_quantile_", D), D,
             paste0("svyquantile(~api00, %s, quantiles = ", qs, ", ci = TRUE, interval.type = \"quantile\")"),
             "api00", list(variables = "api00", quantiles = c(0.25, 0.5, 0.75), interval_type = "quantile"))
}
quant_case("quantile_qrule_hf7_rstrat_jkn", "rstrat_jkn",
           paste0("svyquantile(~api00, %s, quantiles = ", qs, ", ci = TRUE, qrule = \"hf7\")"),
           "api00", list(variables = "api00", quantiles = c(0.25, 0.5, 0.75), qrule = "hf7"))
quant_case("quantile_narm_dstrat", "dstrat",
           "svyquantile(~acs.k3, %s, quantiles = c(0.1, 0.5), ci = TRUE, na.rm = TRUE)",
           "acs.k3", list(variables = "acs.k3", quantiles = c(0.1, 0.5), na_rm = TRUE))

call <- "svyby(~api00, ~stype, dclus1, svyquantile, quantiles = 0.5, ci = TRUE, vartype = c(\"se\", \"ci\"))"
b <- ev(call)
ci <- b[, c("ci_l", "ci_u")]
add("quantile_by_dclus1", call, "dclus1", "quantile",
    list(variables = "api00", quantiles = 0.5, by = "stype"),
    data.frame(stype = as.character(b$stype), variable = "api00", quantile = 0.5,
               estimate = unname(coef(b)), se = unname(SE(b)), ci_low = unname(ci[, 1]),
               ci_high = unname(ci[, 2]), stringsAsFactors = FALSE))

write_cases(cases, "tests/reference/ref_estimation_quantiles.json")
