# Reference values for weighting a *subset* design and for calibration that produces negative
# weights (two regressions found while wiring weighting to the linearisation engine).
# Run from the repository root:  Rscript tests/reference/ref_weighting_subset.R
# Writes tests/reference/ref_weighting_subset.json (committed; CI does not need R).
suppressPackageStartupMessages({library(survey); library(jsonlite)})
data(api)
dclus1 <- svydesign(id = ~dnum, weights = ~pw, data = apiclus1, fpc = ~fpc)
sub <- subset(dclus1, stype != "H")
pop.types <- data.frame(stype = c("E", "M"), Freq = c(4421, 1018))
pop.schwide <- data.frame(sch.wide = c("No", "Yes"), Freq = c(800, 4639))
cases <- list(
  list(id = "poststratify_subset_dclus1",
       call = 'svymean(~api00, postStratify(subset(dclus1, stype != "H"), ~stype, pop.types))',
       d = postStratify(sub, ~stype, pop.types)),
  list(id = "rake_subset_dclus1",
       call = 'svymean(~api00, rake(subset(dclus1, stype != "H"), list(~stype, ~sch.wide), list(pop.types, pop.schwide)))',
       d = rake(sub, list(~stype, ~sch.wide), list(pop.types, pop.schwide),
                control = list(maxit = 200, epsilon = 1e-13))),
  list(id = "calibrate_linear_negative_weights_dclus1",
       call = 'svymean(~api00, calibrate(dclus1, ~stype+api99, c(`(Intercept)`=6194, stypeH=755, stypeM=1018, api99=5500000)))',
       d = calibrate(dclus1, ~stype + api99,
                     c(`(Intercept)` = 6194, stypeH = 755, stypeM = 1018, api99 = 5500000)))
)
out <- lapply(cases, function(k) {
  m <- svymean(~api00, k$d)
  list(id = k$id, call = k$call, estimate = unname(coef(m)), se = as.numeric(SE(m)),
       n_negative = sum(weights(k$d) < 0))
})
write_json(list(R_version = R.version.string,
                survey_version = as.character(packageVersion("survey")),
                cases = out),
           "tests/reference/ref_weighting_subset.json", digits = NA, auto_unbox = TRUE,
           pretty = TRUE)
