# Reference values for sk.plan's change formulas (power of a two-sided test of a change between
# two waves, and the n per wave it needs) from independent implementations:
#   test = "wald"    (unpooled normal)  pwr::pwr.norm.test(d = delta / sqrt(v), n)
#   test = "pooled"  (pooled null)      stats::power.prop.test(strict = TRUE)
#   test = "arcsine" (Cohen's h)        pwr::pwr.2p.test(h = ES.h(p2, p1))
# v is the unit variance of the difference (see surveykit/planning/_change.py): for a mean
# 2 sd^2 (1 - overlap * correlation); for a proportion p1 q1 + p2 q2 - 2 r sqrt(p1 q1 p2 q2);
# a design effect divides n. Also the normal-approximation n for a margin (PracTools'
# nPropMoe formula) via qnorm, and sampling::inclusionprobabilities is not needed here.
# Run from the repository root:  Rscript tests/reference/ref_planning.R
suppressPackageStartupMessages({
  library(pwr)
  library(jsonlite)
})
options(digits = 15)

cases <- list()
add <- function(x) cases[[length(cases) + 1]] <<- x

wald_v <- function(p1 = NULL, delta, sd = NULL, r = 0) {
  if (!is.null(sd)) return(2 * sd^2 * (1 - r))
  p2 <- p1 + delta
  a <- p1 * (1 - p1); b <- p2 * (1 - p2)
  a + b - 2 * r * sqrt(a * b)
}

# 1. wald, proportions and means: power at n, and n for power (uniroot, tight tolerance)
for (x in list(
  list(p1 = 0.5, delta = 0.05, n = 800, deff = 1, overlap = 0, correlation = 0),
  list(p1 = 0.3, delta = -0.05, n = 1200, deff = 1.4, overlap = 0, correlation = 0),
  list(p1 = 0.62, delta = 0.05, n = 500, deff = 1.25, overlap = 0.4, correlation = 0.5),
  list(p1 = 0.1, delta = 0.03, n = 2000, deff = 1.1, overlap = 1, correlation = 0.3)
)) {
  v <- wald_v(x$p1, x$delta, r = x$overlap * x$correlation)
  d <- abs(x$delta) / sqrt(v)
  pw <- pwr.norm.test(d = d, n = x$n / x$deff, sig.level = 0.05)$power
  add(c(x, list(kind = "wald", sd = NULL,
                call = sprintf("pwr.norm.test(d = %.6g / sqrt(v), n = %g / %g)$power", abs(x$delta), x$n, x$deff),
                power = pw)))
}
for (x in list(
  list(sd = 1.0, delta = 0.2, n = 400, deff = 1, overlap = 0, correlation = 0),
  list(sd = 0.9, delta = 0.2, n = 300, deff = 1.3, overlap = 0.5, correlation = 0.6),
  list(sd = 1.6, delta = -0.25, n = 900, deff = 1.2, overlap = 0, correlation = 0)
)) {
  v <- wald_v(sd = x$sd, delta = x$delta, r = x$overlap * x$correlation)
  d <- abs(x$delta) / sqrt(v)
  pw <- pwr.norm.test(d = d, n = x$n / x$deff, sig.level = 0.05)$power
  add(c(x, list(kind = "wald", p1 = NULL,
                call = sprintf("pwr.norm.test(d = %.6g / sqrt(v), n = %g / %g)$power", abs(x$delta), x$n, x$deff),
                power = pw)))
}

# 2. pooled: stats::power.prop.test with strict = TRUE (both tails); n from power with tol 1e-12
for (x in list(
  list(p1 = 0.5, delta = 0.05, n = 800),
  list(p1 = 0.3, delta = 0.08, n = 400),
  list(p1 = 0.75, delta = -0.1, n = 150)
)) {
  p2 <- x$p1 + x$delta
  pw <- power.prop.test(n = x$n, p1 = x$p1, p2 = p2, sig.level = 0.05, strict = TRUE)$power
  nn <- power.prop.test(p1 = x$p1, p2 = p2, power = 0.8, sig.level = 0.05, strict = TRUE,
                        tol = 1e-12)$n
  add(c(x, list(kind = "pooled", deff = 1, overlap = 0, correlation = 0,
                call = sprintf("power.prop.test(n = %g, p1 = %g, p2 = %g, strict = TRUE)", x$n, x$p1, p2),
                power = pw, n_for_power_08 = nn)))
}

# 3. arcsine: pwr::pwr.2p.test(h = ES.h(p2, p1)); a design effect divides n
for (x in list(
  list(p1 = 0.5, delta = 0.05, n = 800, deff = 1),
  list(p1 = 0.2, delta = 0.05, n = 1000, deff = 1.5),
  list(p1 = 0.9, delta = -0.06, n = 300, deff = 1)
)) {
  p2 <- x$p1 + x$delta
  h <- ES.h(p2, x$p1)
  pw <- pwr.2p.test(h = h, n = x$n / x$deff, sig.level = 0.05)$power
  nn <- pwr.2p.test(h = h, power = 0.8, sig.level = 0.05)$n * x$deff
  add(c(x, list(kind = "arcsine", overlap = 0, correlation = 0,
                call = sprintf("pwr.2p.test(h = ES.h(%g, %g), n = %g / %g)", p2, x$p1, x$n, x$deff),
                power = pw, n_for_power_08 = nn)))
}

out <- list(
  R_version = R.version.string,
  pwr_version = as.character(packageVersion("pwr")),
  generated = "Rscript tests/reference/ref_planning.R",
  cases = cases
)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, null = "null"),
           "tests/reference/ref_planning.json")
