# Reference values for surveykit.weighting: postStratify, rake, calibrate (linear, raking,
# logit, bounded linear) and trimWeights on R survey's api data, with the final weights and
# the means, totals and standard errors estimated after weighting.
# Run from the repository root:  Rscript tests/reference/ref_weighting.R
# Writes tests/reference/ref_weighting.json (committed; CI does not need R).
suppressPackageStartupMessages({library(survey); library(jsonlite)})
options(digits = 15)
data(api)

dclus1 <- svydesign(id = ~dnum, weights = ~pw, data = apiclus1, fpc = ~fpc)
dstrat <- svydesign(id = ~1, strata = ~stype, weights = ~pw, data = apistrat, fpc = ~fpc)
rclus1 <- as.svrepdesign(dclus1, type = "JK1")

pop.types <- data.frame(stype = c("E", "H", "M"), Freq = c(4421, 755, 1018))
pop.schwide <- data.frame(sch.wide = c("No", "Yes"), Freq = c(1072, 5122))
pop.compimp <- data.frame(comp.imp = c("No", "Yes"), Freq = c(1712, 4482))
pop.awards <- data.frame(awards = c("No", "Yes"), Freq = c(2027, 4167))
pop.cells <- as.data.frame(xtabs(~ stype + sch.wide, apipop))
pop.partial <- rbind(pop.types, data.frame(stype = "X", Freq = 100))
cal.totals <- c(`(Intercept)` = 6194, stypeH = 755, stypeM = 1018, api99 = 3914069)
cal.totals2 <- c(`(Intercept)` = 6194, sch.wideYes = 5122, api99 = 3914069)
tight <- list(maxit = 200, epsilon = 1e-13)   # epsilon < 1 is relative to the weight total

estimates <- function(d) {
  m <- svymean(~ api00 + enroll, d)
  t <- svytotal(~ enroll + api99, d)
  list(
    "svymean(~api00+enroll)" = list(names = names(coef(m)), estimate = unname(coef(m)),
                                     se = unname(SE(m))),
    "svytotal(~enroll+api99)" = list(names = names(coef(t)), estimate = unname(coef(t)),
                                      se = unname(SE(t)))
  )
}

replicate_info <- function(d) {
  if (!inherits(d, "svyrep.design")) return(NULL)
  list(replicate_weights = unname(as.matrix(weights(d, "analysis"))),
       scale = d$scale, rscales = unname(d$rscales), mse = d$mse, type = d$type)
}

case <- function(id, design_name, call, d) {
  list(id = id, design = design_name, call = call,
       weights = unname(weights(d, "sampling")),
       replicates = replicate_info(d),
       estimates = estimates(d))
}

run <- function(id, design_name, call) {
  d <- eval(parse(text = call))
  case(id, design_name, call, d)
}

cases <- list(
  run("ps_dclus1_stype", "dclus1", "postStratify(dclus1, ~stype, pop.types)"),
  run("ps_dstrat_stype_schwide", "dstrat", "postStratify(dstrat, ~stype+sch.wide, pop.cells)"),
  run("ps_dclus1_partial", "dclus1",
      "suppressWarnings(postStratify(dclus1, ~stype, pop.partial, partial = TRUE))"),
  run("ps_rclus1_stype", "rclus1", "postStratify(rclus1, ~stype, pop.types)"),
  run("rake_dclus1", "dclus1",
      "rake(dclus1, list(~stype, ~sch.wide), list(pop.types, pop.schwide), control = tight)"),
  run("rake_dstrat_3", "dstrat",
      "rake(dstrat, list(~sch.wide, ~comp.imp, ~awards), list(pop.schwide, pop.compimp, pop.awards), control = tight)"),
  run("rake_rclus1", "rclus1",
      "rake(rclus1, list(~stype, ~sch.wide), list(pop.types, pop.schwide), control = tight)"),
  run("cal_linear_dclus1", "dclus1", "calibrate(dclus1, ~stype+api99, cal.totals)"),
  run("cal_raking_dclus1", "dclus1",
      "calibrate(dclus1, ~stype+api99, cal.totals, calfun = 'raking', epsilon = 1e-12)"),
  run("cal_logit_dclus1", "dclus1",
      "calibrate(dclus1, ~stype+api99, cal.totals, calfun = 'logit', bounds = c(0.5, 2.5), epsilon = 1e-12)"),
  run("cal_linear_bounded_dclus1", "dclus1",
      "calibrate(dclus1, ~stype+api99, cal.totals, bounds = c(0.6, 1.6), epsilon = 1e-12)"),
  run("cal_linear_dstrat", "dstrat", "calibrate(dstrat, ~sch.wide+api99, cal.totals2)"),
  run("cal_linear_rclus1", "rclus1", "calibrate(rclus1, ~stype+api99, cal.totals)"),
  run("cal_raking_rclus1", "rclus1",
      "calibrate(rclus1, ~stype+api99, cal.totals, calfun = 'raking', epsilon = 1e-12)"),
  run("cal_logit_rclus1", "rclus1",
      "calibrate(rclus1, ~stype+api99, cal.totals, calfun = 'logit', bounds = c(0.5, 2.5), epsilon = 1e-12)"),
  run("trim_cal_dclus1_once", "dclus1",
      "trimWeights(calibrate(dclus1, ~stype+api99, cal.totals), lower = 20, upper = 40)"),
  run("trim_cal_dclus1_strict", "dclus1",
      "trimWeights(calibrate(dclus1, ~stype+api99, cal.totals), lower = 20, upper = 40, strict = TRUE)"),
  run("trim_dstrat_upper", "dstrat", "trimWeights(dstrat, upper = 40, strict = TRUE)")
)

out <- list(
  r_version = R.version.string,
  survey_version = as.character(packageVersion("survey")),
  note = paste("Designs: dclus1 = svydesign(id=~dnum, weights=~pw, data=apiclus1, fpc=~fpc);",
               "dstrat = svydesign(id=~1, strata=~stype, weights=~pw, data=apistrat, fpc=~fpc);",
               "rclus1 = as.svrepdesign(dclus1, type='JK1'). Targets: see ref_weighting.R."),
  targets = list(pop.types = pop.types, pop.schwide = pop.schwide, pop.compimp = pop.compimp,
                 pop.awards = pop.awards, pop.cells = pop.cells, cal.totals = as.list(cal.totals),
                 cal.totals2 = as.list(cal.totals2)),
  base = list(dclus1 = case("base_dclus1", "dclus1", "dclus1", dclus1),
              dstrat = case("base_dstrat", "dstrat", "dstrat", dstrat),
              rclus1 = case("base_rclus1", "rclus1", "rclus1", rclus1)),
  cases = cases
)
write_json(out, "tests/reference/ref_weighting.json", digits = NA, auto_unbox = TRUE,
           pretty = FALSE, matrix = "rowmajor")
