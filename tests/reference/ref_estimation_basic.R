# Reference values for sk.mean, sk.total (numeric and factor variables), sk.ratio and sk.var,
# with by=, deff=TRUE / "replace" and na.rm=TRUE, on every linearization and replicate design.
# Run from the repository root:  Rscript tests/reference/ref_estimation_basic.R
source("tests/reference/ref_estimation_common.R")

cases <- list()
add <- function(id, call, design, estimator, args, rows, extra = list()) {
  d <- designs[[design]]
  vals <- c(list(rows = rows, df = degf(d)), extra)
  cases[[length(cases) + 1]] <<- new_case(id, call, design, estimator, args, vals)
}
dat <- function(design) designs[[design]]$variables

stat_case <- function(id, design, estimator, vars, template, args) {
  call <- sprintf(template, design)
  est <- ev(call)
  rows <- svystat_rows(est, vars, dat(design), df = degf(designs[[design]]))
  add(id, call, design, estimator, args, rows)
}
by_case <- function(id, design, estimator, vars, byvars, template, args) {
  call <- sprintf(template, design)
  est <- ev(call)
  add(id, call, design, estimator, args, svyby_rows(est, byvars, vars, dat(design)))
}
ratio_case <- function(id, design, template, num, den, args) {
  call <- sprintf(template, design)
  est <- ev(call)
  rows <- data.frame(variable = num, denominator = den,
                     estimate = as.vector(coef(est)), se = as.vector(SE(est)))
  add(id, call, design, "ratio", args, rows)
}

for (D in all_design_names) {
  stat_case(paste0("mean_num_deff_", D), D, "mean", c("api00", "api.stu"),
            "svymean(~api00 + api.stu, %s, deff = TRUE)",
            list(variables = c("api00", "api.stu"), deff = TRUE))
  stat_case(paste0("total_num_deff_", D), D, "total", "api.stu",
            "svytotal(~api.stu, %s, deff = TRUE)", list(variables = "api.stu", deff = TRUE))
  stat_case(paste0("mean_factor_", D), D, "mean", "stype", "svymean(~stype, %s)",
            list(variables = "stype"))
  stat_case(paste0("total_factor_", D), D, "total", "stype", "svytotal(~stype, %s)",
            list(variables = "stype"))
  by_case(paste0("by_mean_deff_", D), D, "mean", "api00", "stype",
          "svyby(~api00, ~stype, %s, svymean, deff = TRUE)",
          list(variables = "api00", by = "stype", deff = TRUE))
  ratio_case(paste0("ratio_", D), D, "svyratio(~api00, ~api99, %s)", "api00", "api99",
             list(numerator = "api00", denominator = "api99"))
  stat_case(paste0("var_", D), D, "var", "api00", "svyvar(~api00, %s)",
            list(variables = "api00"))
}

for (D in main_lin_names) {
  stat_case(paste0("mean_deff_replace_", D), D, "mean", "api00",
            'svymean(~api00, %s, deff = "replace")', list(variables = "api00", deff = "replace"))
  stat_case(paste0("total_deff_replace_", D), D, "total", "api.stu",
            'svytotal(~api.stu, %s, deff = "replace")', list(variables = "api.stu", deff = "replace"))
  by_case(paste0("by2_mean_", D), D, "mean", "api00", c("stype", "sch.wide"),
          "svyby(~api00, ~stype + sch.wide, %s, svymean)",
          list(variables = "api00", by = c("stype", "sch.wide")))
  by_case(paste0("by2_total_", D), D, "total", "api.stu", c("stype", "sch.wide"),
          "svyby(~api.stu, ~stype + sch.wide, %s, svytotal)",
          list(variables = "api.stu", by = c("stype", "sch.wide")))
}

# factor variable inside svyby, several variables inside svyby
by_case("by_mean_factor_dclus1", "dclus1", "mean", "sch.wide", "stype",
        "svyby(~sch.wide, ~stype, %s, svymean)", list(variables = "sch.wide", by = "stype"))
by_case("by_mean_2vars_dstrat", "dstrat", "mean", c("api00", "api99"), "sch.wide",
        "svyby(~api00 + api99, ~sch.wide, %s, svymean)",
        list(variables = c("api00", "api99"), by = "sch.wide"))
by_case("by_mean_2vars_rclus1_jk1", "rclus1_jk1", "mean", c("api00", "api99"), "sch.wide",
        "svyby(~api00 + api99, ~sch.wide, %s, svymean)",
        list(variables = c("api00", "api99"), by = "sch.wide"))
by_case("by_total_factor_rstrat_jkn", "rstrat_jkn", "total", "sch.wide", "stype",
        "svyby(~sch.wide, ~stype, %s, svytotal)", list(variables = "sch.wide", by = "stype"))

# missing values: acs.k3 is NA for high schools; na.rm = TRUE keeps the design (domain)
for (D in c("dstrat", "dclus1", "dclus2", "rclus1_jk1", "rstrat_boot")) {
  stat_case(paste0("mean_narm_", D), D, "mean", "acs.k3",
            "svymean(~acs.k3, %s, na.rm = TRUE)", list(variables = "acs.k3", na_rm = TRUE))
}
stat_case("total_narm_dclus1", "dclus1", "total", "acs.k3",
          "svytotal(~acs.k3, %s, na.rm = TRUE)", list(variables = "acs.k3", na_rm = TRUE))
stat_case("mean_narm_deff_dstrat", "dstrat", "mean", "acs.k3",
          "svymean(~acs.k3, %s, na.rm = TRUE, deff = TRUE)",
          list(variables = "acs.k3", na_rm = TRUE, deff = TRUE))
stat_case("var_narm_dclus1", "dclus1", "var", "acs.k3",
          "svyvar(~acs.k3, %s, na.rm = TRUE)", list(variables = "acs.k3", na_rm = TRUE))
by_case("by_mean_narm_dclus1", "dclus1", "mean", "acs.k3", "sch.wide",
        "svyby(~acs.k3, ~sch.wide, %s, svymean, na.rm = TRUE)",
        list(variables = "acs.k3", by = "sch.wide", na_rm = TRUE))
ratio_case("ratio_narm_dstrat", "dstrat", "svyratio(~acs.k3, ~enroll, %s, na.rm = TRUE)",
           "acs.k3", "enroll", list(numerator = "acs.k3", denominator = "enroll", na_rm = TRUE))

# enroll has 6 missing values in apiclus2
stat_case("total_narm_dclus2", "dclus2", "total", "enroll",
          "svytotal(~enroll, %s, na.rm = TRUE)", list(variables = "enroll", na_rm = TRUE))
stat_case("mean_narm_rpairs_fay", "rpairs_fay", "mean", "enroll",
          "svymean(~enroll, %s, na.rm = TRUE)", list(variables = "enroll", na_rm = TRUE))

write_cases(cases, "tests/reference/ref_estimation_basic.json")
