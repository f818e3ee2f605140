# Banner tables with the wave as a banner variable: each wave is its own design, so a wave
# column is svymean on that wave's design, and the letters between two wave columns come
# from a t test of the difference for independent samples, SE = sqrt(se_a^2 + se_b^2), on
# degf(a) + degf(b) degrees of freedom (the test of sk.compare for independent waves).
# Independent of the other reference scripts.
# Waves: a = apistrat (stratified, linearization), b = apiclus1 as JK1 replicates (one-stage
# cluster sample). Rows: sch.wide (shares), lik (a 1-5 "Likert" item cut from api00:
# shares, top-two and bottom-two nets, the mean of the codes) and api00 (a mean).
# Run from the repository root:  Rscript tests/reference/ref_banner_waves.R
suppressPackageStartupMessages({
  library(survey)
  library(jsonlite)
})
options(digits = 15, survey.lonely.psu = "fail", survey.replicates.mse = FALSE)
data(api)
likert <- function(d) {
  d$lik <- 1 + (d$api00 > 550) + (d$api00 > 650) + (d$api00 > 750) + (d$api00 > 850)
  d$likf <- factor(d$lik, levels = 1:5)
  d
}
apistrat <- likert(apistrat)
apiclus1 <- likert(apiclus1)
da <- svydesign(id = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc, data = apistrat)
db <- as.svrepdesign(svydesign(id = ~dnum, weights = ~pw, fpc = ~fpc, data = apiclus1),
                     type = "JK1")
waves <- list(a = da, b = db)
calls <- list(
  a = "svydesign(id = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc, data = apistrat)",
  b = 'as.svrepdesign(svydesign(id = ~dnum, weights = ~pw, fpc = ~fpc, data = apiclus1), type = "JK1")')

unit <- function(k, m, s = 100) { v <- rep(0, m); v[k] <- s; v }
questions <- list(
  list(row = "sch.wide", kind = "categories", formula = "~sch.wide",
       rows = lapply(1:2, function(k) list(kind = "category", coef = unit(k, 2)))),
  list(row = "lik", kind = "likert", formula = "~likf + lik",
       rows = c(lapply(1:5, function(k) list(kind = "category", coef = unit(k, 6))),
                list(list(kind = "net", coef = c(0, 0, 0, 100, 100, 0)),
                     list(kind = "net", coef = c(100, 100, 0, 0, 0, 0)),
                     list(kind = "mean", coef = unit(6, 6, 1))))),
  list(row = "api00", kind = "mean", formula = "~api00",
       rows = list(list(kind = "mean", coef = 1))))

letter <- function(est_a, est_b, p) {
  # column a is A, column b is B: the higher column gets the other's letter
  if (is.na(p) || est_a == est_b) return(c("", ""))
  s <- if (p < 0.05) c("A", "B") else if (p < 0.10) c("a", "b") else return(c("", ""))
  if (est_a > est_b) c(s[2], "") else c("", s[1])
}

cases <- lapply(questions, function(q) {
  f <- as.formula(q$formula)
  fits <- lapply(waves, function(d) svymean(f, d))
  df <- degf(da) + degf(db)
  rows <- lapply(q$rows, function(r) {
    per <- lapply(fits, function(m) svycontrast(m, r$coef))
    est <- sapply(per, function(x) unname(coef(x)))
    se <- sapply(per, function(x) as.vector(SE(x)))
    d <- est[["a"]] - est[["b"]]
    s <- sqrt(se[["a"]]^2 + se[["b"]]^2)
    p <- 2 * pt(-abs(d / s), df)
    list(kind = r$kind, coef = r$coef, estimate = unname(est), se = unname(se),
         difference = d, se_difference = s, df = df, p_value = p,
         letters = letter(est[["a"]], est[["b"]], p))
  })
  list(row = q$row, kind = q$kind,
       call = sprintf("svycontrast(svymean(%s, w), coef) for w in (a, b); 2 * pt(-abs(d / sqrt(se_a^2 + se_b^2)), degf(a) + degf(b))", q$formula),
       n = unname(sapply(waves, function(d) sum(!is.na(d$variables[[q$row]])))),
       rows = rows)
})
out <- list(R_version = R.version.string, survey_version = as.character(packageVersion("survey")),
            designs = calls, waves = names(waves), level = 0.95, second_level = 0.90,
            df = c(a = degf(da), b = degf(db)), cases = cases)
write_json(out, "tests/reference/ref_banner_waves.json", digits = NA, auto_unbox = TRUE,
           pretty = TRUE, na = "null")
