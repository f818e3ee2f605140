# Re-export R survey's api data sets (Lumley, survey package) as CSV for the Python tests.
# Run from the repository root:  Rscript tests/reference/export_api.R
# CI does not need R: the CSV files are committed.
suppressPackageStartupMessages(library(survey))
data(api)
out <- "tests/reference/data"
dir.create(out, showWarnings = FALSE, recursive = TRUE)
for (nm in c("apisrs", "apistrat", "apiclus1", "apiclus2", "apipop")) {
  df <- get(nm)
  write.csv(df, file.path(out, paste0(nm, ".csv")), row.names = FALSE, na = "")
}
writeLines(c(
  paste("R:", R.version.string),
  paste("survey:", as.character(packageVersion("survey"))),
  "Source: data(api) in R package survey; see ?api for the codebook."
), file.path(out, "VERSIONS.txt"))
