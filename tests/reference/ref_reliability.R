# Reference values for sk.reliability: psych::alpha (alpha, standardized alpha, r.drop,
# alpha.drop), psych::fa(nfactors = 1) loadings (fm = "minres" and "ml"), stats::factanal
# loadings and psych::omega(nfactors = 1)'s omega.tot.
# Run from the repository root (after python tests/reference/make_reliability_items.py):
#   Rscript tests/reference/ref_reliability.R
suppressPackageStartupMessages({
  library(psych)
  library(jsonlite)
})
options(digits = 15)

# 1. belonging (needs assessment): 98 = don't know is missing, two rows are reverse-coded
#    (6 - x on the 1-5 scale), respondents with every item valid.
bel <- read.csv("tests/reference/data/reliability_belonging.csv")
bel[bel == 98] <- NA
bel$bel_stranger <- 6 - bel$bel_stranger
bel$bel_anywhere <- 6 - bel$bel_anywhere
bel <- bel[complete.cases(bel), ]

# 2. simulated one-factor data: loadings .8 .7 .6 .5 .4, n = 300
set.seed(1)
l <- c(.8, .7, .6, .5, .4)
f <- rnorm(300)
sim <- as.data.frame(sapply(l, function(li) li * f + sqrt(1 - li^2) * rnorm(300)))
names(sim) <- paste0("x", 1:5)
write.csv(sim, "tests/reference/data/reliability_sim.csv", row.names = FALSE)

case <- function(id, X, prep) {
  a <- psych::alpha(X, warnings = FALSE)
  R <- cor(X)
  minres <- unclass(psych::fa(R, nfactors = 1, fm = "minres", n.obs = nrow(X))$loadings)[, 1]
  ml <- unclass(psych::fa(R, nfactors = 1, fm = "ml", n.obs = nrow(X))$loadings)[, 1]
  fan <- unclass(factanal(covmat = R, factors = 1, n.obs = nrow(X))$loadings)[, 1]
  om <- suppressWarnings(psych::omega(X, nfactors = 1, fm = "minres", plot = FALSE))
  list(id = id, prep = prep, items = names(X), n = nrow(X),
       calls = c("psych::alpha(X)", "psych::fa(cor(X), nfactors = 1, fm = 'minres')",
                 "psych::fa(cor(X), nfactors = 1, fm = 'ml')",
                 "factanal(covmat = cor(X), factors = 1)",
                 "psych::omega(X, nfactors = 1, fm = 'minres')"),
       alpha = a$total$raw_alpha, std_alpha = a$total$std.alpha,
       r_drop = unname(a$item.stats$r.drop), alpha_drop = unname(a$alpha.drop$raw_alpha),
       mean = unname(a$item.stats$mean), sd = unname(a$item.stats$sd),
       loadings_minres = unname(minres), loadings_ml = unname(ml),
       loadings_factanal = unname(fan), psych_omega_tot = om$omega.tot)
}

cases <- list(
  case("belonging", bel, "read.csv('reliability_belonging.csv'); 98 -> NA; bel_stranger, bel_anywhere -> 6 - x; complete cases"),
  case("simulated", sim, "set.seed(1); one factor, loadings .8 .7 .6 .5 .4, n = 300 (reliability_sim.csv)")
)
out <- list(R_version = R.version.string,
            psych_version = as.character(packageVersion("psych")),
            generated = format(Sys.time(), "%Y-%m-%d", tz = "UTC"), cases = cases)
write_json(out, "tests/reference/ref_reliability.json", digits = NA, auto_unbox = TRUE,
           pretty = TRUE)
message("tests/reference/ref_reliability.json: ", length(cases), " cases")
