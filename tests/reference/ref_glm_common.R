# Shared set-up for ref_glm_families.R and ref_predmeans.R: designs on data other than api
# (a synthetic two-wave survey, NHANES, the 2004 election PPS sample), the JSON description
# that rebuilds each design in Python, and the JSON writer.
# Run the scripts from the repository root (after export_other_data.R and
# make_glm_survey.R have written the CSV files).
suppressPackageStartupMessages({
  library(survey)
  library(jsonlite)
})
options(digits = 15, survey.lonely.psu = "fail", survey.replicates.mse = FALSE)

glm_survey <- read.csv("tests/reference/data/glm_survey.csv", stringsAsFactors = FALSE)
nhanes <- read.csv("tests/reference/data/nhanes.csv", stringsAsFactors = FALSE)
election_pps <- read.csv("tests/reference/data/election_pps.csv", stringsAsFactors = FALSE)

lin_designs <- list(
  dsurvey = list(call = "svydesign(id = ~psu, strata = ~stratum, weights = ~weight, fpc = ~npsu, data = glm_survey)",
                 data = "glm_survey",
                 spec = list(psu = "psu", strata = "stratum", weights = "weight", fpc = "npsu")),
  dnhanes = list(call = "svydesign(id = ~SDMVPSU, strata = ~SDMVSTRA, weights = ~WTMEC2YR, nest = TRUE, data = nhanes)",
                 data = "nhanes",
                 spec = list(psu = "SDMVPSU", strata = "SDMVSTRA", weights = "WTMEC2YR", nest = TRUE)),
  delection = list(call = "svydesign(id = ~1, probs = ~p, data = election_pps)",
                   data = "election_pps", spec = list(probs = "p"))
)
rep_designs <- list(
  rsurvey_jkn = list(base = "dsurvey", call = 'as.svrepdesign(dsurvey, type = "JKn")'),
  rsurvey_boot = list(base = "dsurvey", seed = 20261204L,
                      call = 'as.svrepdesign(dsurvey, type = "bootstrap", replicates = 50)')
)
env <- list2env(list(glm_survey = glm_survey, nhanes = nhanes, election_pps = election_pps))
designs <- lapply(lin_designs, function(d) eval(parse(text = d$call), envir = env))
for (nm in names(rep_designs)) {
  r <- rep_designs[[nm]]
  if (!is.null(r$seed)) set.seed(r$seed)
  designs[[nm]] <- eval(parse(text = r$call), envir = list2env(designs, parent = env))
}
for (nm in names(designs)) assign(nm, designs[[nm]], envir = env)

design_call <- function(name) {
  if (name %in% names(lin_designs)) return(lin_designs[[name]]$call)
  r <- rep_designs[[name]]
  paste0(r$base, " <- ", lin_designs[[r$base]]$call, "; ",
         if (!is.null(r$seed)) sprintf("set.seed(%d); ", r$seed) else "", r$call)
}

# How Python rebuilds each design: linearization designs from their columns; replicate
# designs from R's own replicate multipliers, one row per PSU (they are constant within a
# PSU), so that random bootstrap replicates agree too.
design_specs <- function() {
  out <- list()
  for (nm in names(lin_designs)) {
    out[[nm]] <- list(kind = "linearization", call = design_call(nm),
                      data = lin_designs[[nm]]$data, spec = lin_designs[[nm]]$spec)
  }
  for (nm in names(rep_designs)) {
    base <- rep_designs[[nm]]$base
    rd <- designs[[nm]]
    psu <- lin_designs[[base]]$spec$psu
    data <- get(lin_designs[[base]]$data)
    mult <- as.matrix(weights(rd, "analysis")) / weights(designs[[base]])
    first <- !duplicated(data[[psu]])
    out[[nm]] <- list(kind = "replicate", call = design_call(nm), base = base,
                      data = lin_designs[[base]]$data, type = rd$type, scale = rd$scale,
                      rscales = rd$rscales, mse = rd$mse, psu = psu,
                      psu_ids = data[[psu]][first], multipliers = unname(mult[first, ]))
  }
  out
}

header <- function() {
  list(R_version = R.version.string,
       survey_version = as.character(packageVersion("survey")),
       generated = format(Sys.time(), "%Y-%m-%d", tz = "UTC"))
}

write_cases <- function(cases, file) {
  ids <- vapply(cases, `[[`, "", "id")
  if (anyDuplicated(ids)) stop("duplicate case ids: ", paste(ids[duplicated(ids)], collapse = ", "))
  out <- c(header(), list(designs = design_specs(), cases = cases))
  write_json(out, file, digits = NA, auto_unbox = TRUE, pretty = TRUE, na = "null",
             null = "null")
  message(sprintf("%s: %d cases", file, length(cases)))
}

ev <- function(call) eval(parse(text = call), envir = env)
