# Export the R data sets (other than api) that the glm-family, predictive-margin and
# multiple-imputation reference cases use, as CSV for the Python tests:
#   nhanes.csv        survey's data(nhanes) (NHANES 2009-10 extract; ?nhanes)
#   election_pps.csv  survey's data(election): the 40-county PPS sample (?election)
#   smi.csv           mitools' data(smi): the 5 completed data sets of the Victorian
#                     Adolescent Health Cohort, stacked, with their number in `imputation`
# Run from the repository root:  Rscript tests/reference/export_other_data.R
# Doubles are written with 17 significant digits so that they read back bit for bit.
suppressPackageStartupMessages({
  library(survey)
  library(mitools)
})
data(nhanes)
data(election)
data(smi)
out <- "tests/reference/data"
exact <- function(df) {
  for (v in names(df)) {
    if (is.double(df[[v]])) df[[v]] <- ifelse(is.na(df[[v]]), NA, sprintf("%.17g", df[[v]]))
    if (is.factor(df[[v]])) df[[v]] <- as.character(df[[v]])
  }
  df
}
write_exact <- function(df, name) {
  text <- which(sapply(df, function(v) is.character(v) || is.factor(v)))
  write.csv(exact(df), file.path(out, name), row.names = FALSE, na = "", quote = unname(text))
  message(sprintf("%s: %d rows", name, nrow(df)))
}
write_exact(nhanes, "nhanes.csv")
write_exact(election_pps[, c("County", "TotPrecincts", "Bush", "Kerry", "Nader", "votes", "p")],
            "election_pps.csv")
stacked <- do.call(rbind, lapply(seq_along(smi$imputations), function(i)
  cbind(imputation = i, smi$imputations[[i]])))
write_exact(stacked, "smi.csv")
cat(paste("R:", R.version.string),
    paste("survey:", as.character(packageVersion("survey"))),
    paste("mitools:", as.character(packageVersion("mitools"))),
    "nhanes.csv, election_pps.csv: survey's data(nhanes), data(election) (election_pps).",
    "smi.csv: mitools' data(smi), the 5 imputations stacked (column imputation).",
    "glm_survey.csv: synthetic, made by tests/reference/make_glm_survey.R.",
    sep = "\n", file = file.path(out, "VERSIONS_other.txt"))
