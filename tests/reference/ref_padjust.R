# Reference values for surveykit.adjust_pvalues: R's p.adjust on fixed families (ties, NA,
# p = 1, a single test), every method R offers. Run: Rscript ref_padjust.R (writes
# ref_padjust.json beside this script).
suppressMessages(library(jsonlite))
set.seed(20261203)
families <- list(
  five = c(0.01, 0.02, 0.03, 0.04, 0.05),
  ties_na = c(0.01, 0.02, 0.02, NA, 0.04, 0.04, 0.5),
  single = c(0.03),
  ones = c(1, 0.9, 0.001, 1),
  uniform = round(runif(25)^2, 4),
  small = c(signif(runif(8, 0, 0.01), 3), signif(runif(12), 3))
)
methods <- c("holm", "hochberg", "hommel", "bonferroni", "BH", "BY")
cases <- list()
for (fam in names(families)) {
  p <- families[[fam]]
  for (m in methods) {
    cases[[length(cases) + 1]] <- list(family = fam, method = m, p = p,
                                       adjusted = p.adjust(p, m))
  }
}
out <- list(r_version = R.version.string, cases = cases)
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, na = "null"),
           file.path(dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE))),
                     "ref_padjust.json"))
