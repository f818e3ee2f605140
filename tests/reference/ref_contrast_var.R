# Nonlinear contrasts (svycontrast with quote(...), the delta method) and covariance
# matrices of several variables (svyvar), on linearisation and replicate designs.
# Data other than api: a synthetic two-wave household survey (6 strata of 2 PSUs, written
# to the JSON and read back so R and surveykit use the same values).
# Run from the repository root:  Rscript tests/reference/ref_contrast_var.R
suppressPackageStartupMessages({
  library(survey)
  library(jsonlite)
})
options(digits = 15, survey.lonely.psu = "fail", survey.replicates.mse = FALSE)

set.seed(20261205)
rows <- expand.grid(k = 1:8, psu_in = 1:2, st = 1:6)
n <- nrow(rows)
hh <- data.frame(
  st = rows$st, psu = rows$st * 10 + rows$psu_in,
  w = round(runif(n, 20, 80), 2),
  wave = rep(c(1, 2), length.out = n),
  region = sample(c("north", "south", "west"), n, replace = TRUE),
  age = round(runif(n, 18, 80)))
hh$income <- round(300 + 4 * hh$age + 40 * hh$wave + rnorm(n, 0, 60), 1)
hh$spend <- round(0.6 * hh$income + rnorm(n, 0, 40), 1)
hh$sat <- as.integer(hh$income + rnorm(n, 0, 80) > 560)
hh$spend_na <- hh$spend
hh$spend_na[c(3, 17, 40, 77)] <- NA
hh <- fromJSON(toJSON(hh, digits = NA, na = "null"))

dlin <- svydesign(id = ~psu, strata = ~st, weights = ~w, data = hh)
designs <- list(lin = dlin,
                jkn = as.svrepdesign(dlin, type = "JKn"),
                brr = as.svrepdesign(dlin, type = "BRR"))
calls <- list(lin = "svydesign(id = ~psu, strata = ~st, weights = ~w, data = hh)",
              jkn = 'as.svrepdesign(lin, type = "JKn")',
              brr = 'as.svrepdesign(lin, type = "BRR")')

cases <- list()
add <- function(id, design, call, stat, contrasts, value) {
  cases[[length(cases) + 1]] <<- list(
    id = id, design = design, call = call, stat = stat, contrasts = contrasts,
    estimate = unname(as.vector(coef(value))), vcov = unname(as.matrix(vcov(value))))
}
# stat: how surveykit builds the estimate the contrast is taken of
stats <- list(
  means = list(py = list(kind = "mean", variables = c("income", "spend")),
               r = function(d) svymean(~income + spend, d), txt = "svymean(~income + spend, %s)"),
  totals = list(py = list(kind = "total", variables = c("income", "spend")),
                r = function(d) svytotal(~income + spend, d), txt = "svytotal(~income + spend, %s)"),
  waves = list(py = list(kind = "mean", variables = "income", by = "wave"),
               r = function(d) svyby(~income, ~wave, d, svymean, covmat = TRUE),
               txt = "svyby(~income, ~wave, %s, svymean, covmat = TRUE)"),
  waves2 = list(py = list(kind = "mean", variables = c("income", "spend"), by = "wave"),
                r = function(d) svyby(~income + spend, ~wave, d, svymean, covmat = TRUE),
                txt = "svyby(~income + spend, ~wave, %s, svymean, covmat = TRUE)"),
  region = list(py = list(kind = "mean", variables = "region"),
                r = function(d) svymean(~region, d), txt = "svymean(~region, %s)"),
  logit = list(py = list(kind = "glm", formula = "sat ~ income + wave", family = "binomial"),
               r = function(d) svyglm(sat ~ income + wave, d, family = quasibinomial()),
               txt = "svyglm(sat ~ income + wave, %s, family = quasibinomial())")
)
contrasts <- list(
  means = list(
    list(ratio = "income/spend"),
    list(ratio = "income/spend", logdiff = "log(income) - log(spend)",
         share = "spend/(income + spend)")),
  totals = list(list(norm = "sqrt(income^2 + spend^2)", e = "exp(spend/income)")),
  waves = list(list(change = "`2`/`1` - 1", logratio = "log(`2`) - log(`1`)")),
  waves2 = list(list(rel = "(`2:income`/`2:spend`)/(`1:income`/`1:spend`) - 1",
                     gap = "`2:income` - `2:spend` - (`1:income` - `1:spend`)")),
  region = list(list(odds = "regionnorth/(1 - regionnorth)", lr = "log(regionsouth/regionwest)")),
  logit = list(list(or10 = "exp(10 * income)", p500 = "1/(1 + exp(-(`(Intercept)` + 500 * income + 2 * wave)))"))
)
for (dn in names(designs)) {
  for (sn in names(stats)) {
    st <- stats[[sn]]
    est <- st$r(designs[[dn]])
    for (k in seq_along(contrasts[[sn]])) {
      cl <- contrasts[[sn]][[k]]
      ql <- lapply(cl, function(e) parse(text = e)[[1]])
      res <- svycontrast(est, ql)
      call <- sprintf("svycontrast(%s, list(%s))", sprintf(st$txt, dn),
                      paste(sprintf("%s = quote(%s)", names(cl), unlist(cl)), collapse = ", "))
      add(sprintf("%s_%s_%d", dn, sn, k), dn, call, st$py, cl, res)
    }
  }
}
# a single quote() gives one unnamed contrast
res <- svycontrast(svymean(~income + spend, dlin), quote(income/spend - 1))
add("lin_single", "lin", "svycontrast(svymean(~income + spend, lin), quote(income/spend - 1))",
    stats$means$py, "income/spend - 1", res)

# svyvar of several variables: the full matrix and the covariance of its entries
vcases <- list()
addv <- function(id, design, call, args, value, full = TRUE) {
  vcases[[length(vcases) + 1]] <<- list(
    id = id, design = design, call = call, args = args,
    estimate = unname(as.vector(coef(value))), se = unname(as.vector(SE(value))),
    vcov = if (full) unname(as.matrix(vcov(value))) else NULL)
}
for (dn in names(designs)) {
  d <- designs[[dn]]
  v <- svyvar(~income + spend + age, d)
  addv(paste0(dn, "_var3"), dn, sprintf("svyvar(~income + spend + age, %s)", dn),
       list(variables = c("income", "spend", "age")), v)
  v <- svyvar(~income + spend_na, d, na.rm = TRUE)
  addv(paste0(dn, "_var_na"), dn, sprintf("svyvar(~income + spend_na, %s, na.rm = TRUE)", dn),
       list(variables = c("income", "spend_na"), nan_policy = "omit"), v)
  v <- svyby(~income + spend, ~wave, d, svyvar)
  addv(paste0(dn, "_var_by"), dn, sprintf("svyby(~income + spend, ~wave, %s, svyvar)", dn),
       list(variables = c("income", "spend"), by = "wave"), v, full = FALSE)
  v <- svyvar(~income + spend, subset(d, region != "west"))
  addv(paste0(dn, "_var_subset"), dn,
       sprintf('svyvar(~income + spend, subset(%s, region != "west"))', dn),
       list(variables = c("income", "spend"), subset = "region != 'west'"), v)
}

out <- list(R_version = R.version.string, survey_version = as.character(packageVersion("survey")),
            data = hh, designs = calls, contrast_cases = cases, var_cases = vcases)
write_json(out, "tests/reference/ref_contrast_var.json", digits = NA, auto_unbox = TRUE,
           pretty = TRUE, na = "null", matrix = "rowmajor")
