# Shared set-up for the ref_estimation_*.R scripts: the canonical designs on R's api data
# sets, the constructed designs (BRR pairs, lonely PSUs), and helpers that turn survey
# results into JSON rows. Sourced by each script; run the scripts from the repository root:
#   Rscript tests/reference/ref_estimation_<topic>.R
# Values are written with jsonlite digits = NA (15 significant digits), enough for the
# rel = 1e-9 comparisons in tests/estimation/test_reference_*.py.
suppressPackageStartupMessages({
  library(survey)
  library(jsonlite)
})
options(digits = 15, survey.lonely.psu = "fail", survey.replicates.mse = FALSE)
data(api)

# --- constructed data sets -------------------------------------------------------------
# apiclus2 with its 40 sampled districts paired in dnum order: 20 strata of 2 PSUs (BRR, Fay).
district_rank <- match(apiclus2$dnum, sort(unique(apiclus2$dnum)))
apiclus2$pair <- ceiling(district_rank / 2)
# the same districts in groups of 3: 13 strata of 3 PSUs and stratum 14 with one (lonely) PSU.
apiclus2$grp3 <- ceiling(district_rank / 3)

# --- canonical designs -----------------------------------------------------------------
lin_designs <- list(
  dsrs = list(call = "svydesign(id = ~1, fpc = ~fpc, data = apisrs)",
              data = "apisrs", spec = list(fpc = "fpc")),
  dstrat = list(call = "svydesign(id = ~1, strata = ~stype, fpc = ~fpc, weights = ~pw, data = apistrat)",
                data = "apistrat", spec = list(strata = "stype", fpc = "fpc", weights = "pw")),
  dclus1 = list(call = "svydesign(id = ~dnum, fpc = ~fpc, weights = ~pw, data = apiclus1)",
                data = "apiclus1", spec = list(psu = "dnum", fpc = "fpc", weights = "pw")),
  dclus2 = list(call = "svydesign(id = ~dnum + snum, fpc = ~fpc1 + fpc2, data = apiclus2)",
                data = "apiclus2", spec = list(psu = c("dnum", "snum"), fpc = c("fpc1", "fpc2"))),
  dpairs = list(call = "svydesign(id = ~dnum, strata = ~pair, weights = ~pw, data = apiclus2)",
                data = "apiclus2", spec = list(psu = "dnum", strata = "pair", weights = "pw")),
  # stratum 14 has one PSU: used under each survey.lonely.psu option (ref_estimation_lonely.R)
  dlonely = list(call = "svydesign(id = ~dnum, strata = ~grp3, weights = ~pw, data = apiclus2)",
                 data = "apiclus2", spec = list(psu = "dnum", strata = "grp3", weights = "pw"))
)
build_lin <- function(name) eval(parse(text = lin_designs[[name]]$call))
# apiclus2 as used by every design (with the constructed pair and grp3 columns)
designs <- lapply(setNames(names(lin_designs), names(lin_designs)), build_lin)

rep_designs <- list(
  rclus1_jk1 = list(base = "dclus1", call = 'as.svrepdesign(dclus1, type = "JK1")'),
  rstrat_jkn = list(base = "dstrat", call = 'as.svrepdesign(dstrat, type = "JKn")'),
  rpairs_brr = list(base = "dpairs", call = 'as.svrepdesign(dpairs, type = "BRR")'),
  rpairs_fay = list(base = "dpairs", call = 'as.svrepdesign(dpairs, type = "Fay", fay.rho = 0.3)'),
  rstrat_boot = list(base = "dstrat", seed = 20240611L,
                     call = 'as.svrepdesign(dstrat, type = "bootstrap", replicates = 50)'),
  rclus1_subboot = list(base = "dclus1", seed = 20240612L,
                        call = 'as.svrepdesign(dclus1, type = "subbootstrap", replicates = 50)')
)
for (nm in names(rep_designs)) {
  env <- list2env(designs)
  if (!is.null(rep_designs[[nm]]$seed)) set.seed(rep_designs[[nm]]$seed)
  designs[[nm]] <- eval(parse(text = rep_designs[[nm]]$call), envir = env)
}
design_data <- function(name) {
  if (name %in% names(lin_designs)) lin_designs[[name]]$data
  else lin_designs[[rep_designs[[name]]$base]]$data
}
design_call <- function(name) {
  if (name %in% names(lin_designs)) lin_designs[[name]]$call
  else {
    s <- rep_designs[[name]]
    paste0(s$base, " <- ", lin_designs[[s$base]]$call, "; ",
           if (!is.null(s$seed)) sprintf("set.seed(%d); ", s$seed) else "", s$call)
  }
}
main_lin_names <- setdiff(names(lin_designs), "dlonely")
all_design_names <- c(main_lin_names, names(rep_designs))

# --- result helpers --------------------------------------------------------------------
# split survey's coefficient names ("stypeE", "api00") into variable and level
split_names <- function(nms, vars, data) {
  variable <- character(length(nms))
  level <- rep(NA_character_, length(nms))
  for (v in vars) {
    x <- data[[v]]
    if (is.factor(x) || is.character(x) || is.logical(x)) {
      lev <- if (is.factor(x)) levels(x) else sort(unique(as.character(na.omit(x))))
      hit <- nms %in% paste0(v, lev)
      variable[hit] <- v
      level[hit] <- substring(nms[hit], nchar(v) + 1)
    } else {
      variable[nms == v] <- v
    }
  }
  list(variable = variable, level = level)
}

svystat_rows <- function(est, vars, data, df = Inf) {
  cf <- coef(est)
  nms <- if (is.null(names(cf))) rownames(as.matrix(cf)) else names(cf)
  nm <- split_names(nms, vars, data)
  est_v <- as.vector(cf)
  se_v <- as.vector(SE(est))
  q <- qt(0.975, df = df)
  rows <- data.frame(variable = nm$variable, level = nm$level,
                     estimate = est_v, se = se_v,
                     ci_low = est_v - q * se_v, ci_high = est_v + q * se_v,
                     stringsAsFactors = FALSE)
  d <- attr(est, "deff")
  if (!is.null(d)) rows$deff <- unname(if (is.matrix(d)) diag(d) else d)
  rows
}

svyby_rows <- function(est, byvars, vars, data) {
  cf <- coef(est)
  nb <- nrow(est)
  nstat <- length(cf) / nb
  stat <- if (grepl(":", names(cf)[1], fixed = TRUE)) sub("^.*:", "", names(cf)) else rep(vars[1], length(cf))
  rows <- as.data.frame(lapply(byvars, function(b) rep(as.character(est[[b]]), times = nstat)),
                        stringsAsFactors = FALSE)
  names(rows) <- byvars
  nm <- split_names(stat, vars, data)
  rows$variable <- nm$variable
  rows$level <- nm$level
  rows$estimate <- unname(cf)
  rows$se <- as.vector(as.matrix(SE(est)))
  d <- tryCatch(deff(est), error = function(e) NULL)
  if (!is.null(d)) rows$deff <- as.vector(as.matrix(d))
  rows
}

header <- function() {
  list(R_version = R.version.string,
       survey_version = as.character(packageVersion("survey")),
       generated = format(Sys.time(), "%Y-%m-%d", tz = "UTC"))
}

new_case <- function(id, call, design, estimator, args, values) {
  list(id = id, call = call, design = design, design_call = design_call(design),
       data = design_data(design), estimator = estimator, args = args, values = values)
}

write_cases <- function(cases, file, extra = list()) {
  ids <- vapply(cases, `[[`, "", "id")
  if (anyDuplicated(ids)) stop("duplicate case ids: ", paste(ids[duplicated(ids)], collapse = ", "))
  out <- c(header(), extra, list(cases = cases))
  write_json(out, file, digits = NA, auto_unbox = TRUE, pretty = TRUE, na = "null",
             null = "null")
  message(sprintf("%s: %d cases", file, length(cases)))
}

# evaluate a call string against the designs and data sets
ev <- function(call) eval(parse(text = call), envir = list2env(c(designs, list(
  apisrs = apisrs, apistrat = apistrat, apiclus1 = apiclus1, apiclus2 = apiclus2))))
