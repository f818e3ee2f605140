# Re-export R survey's api data sets (Lumley, survey package) as CSV for the Python tests.
# Run from the repository root:  Rscript tests/reference/export_api.R
# CI does not need R: the CSV files are committed.
suppressPackageStartupMessages(library(survey))
data(api)
out <- "tests/reference/data"
dir.create(out, showWarnings = FALSE, recursive = TRUE)
# write.csv keeps only 15 significant digits, which breaks exact ties of cumulative weights
# (e.g. svyquantile's score interval on apiclus1); write doubles with 17 digits so that they
# read back as the same binary values.
exact <- function(df) {
  for (v in names(df)) {
    if (is.double(df[[v]])) {
      df[[v]] <- ifelse(is.na(df[[v]]), NA, sprintf("%.17g", df[[v]]))
    }
  }
  df
}
for (nm in c("apisrs", "apistrat", "apiclus1", "apiclus2", "apipop")) {
  df <- get(nm)
  text <- which(sapply(df, function(v) is.character(v) || is.factor(v)))
  write.csv(exact(df), file.path(out, paste0(nm, ".csv")), row.names = FALSE, na = "",
            quote = unname(text))
}
writeLines(c(
  paste("R:", R.version.string),
  paste("survey:", as.character(packageVersion("survey"))),
  "Source: data(api) in R package survey; see ?api for the codebook."
), file.path(out, "VERSIONS.txt"))
