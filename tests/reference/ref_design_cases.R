# Reference values for surveykit.design: replicate-weight construction (JK1, JKn, BRR, Fay,
# bootstrap), Hadamard matrices, lonely-PSU policies, domains, multistage fpc and the
# linearisation of post-stratified, raked and calibrated designs.
# Run from the repository root:  Rscript tests/reference/ref_design_cases.R
# Writes tests/reference/ref_design_cases.json (committed; CI has no R).
suppressPackageStartupMessages({library(survey); library(jsonlite)})
options(digits = 15)
data(api)
out <- list(meta = list(R = R.version.string, survey = as.character(packageVersion("survey"))))
se1 <- function(x) unname(SE(x))
est1 <- function(x) unname(coef(x))

# --- Hadamard matrices (R's hadamard(n)) -------------------------------------------------
ns <- c(1:40, 44, 50, 56, 63, 64, 70, 100, 130, 200)
out$hadamard <- lapply(ns, function(n) list(n = n, rows = apply(hadamard(n), 1, paste, collapse = "")))

# --- JK1 and JKn ------------------------------------------------------------------------
dclus1 <- svydesign(id = ~dnum, weights = ~pw, data = apiclus1, fpc = ~fpc)
rclus1 <- as.svrepdesign(dclus1, type = "JK1", compress = FALSE)
dstrat <- svydesign(id = ~1, strata = ~stype, weights = ~pw, data = apistrat, fpc = ~fpc)
rstrat <- as.svrepdesign(dstrat, type = "JKn", compress = FALSE)
repcase <- function(r, call) list(
  call = call, repweights = unclass(r$repweights), scale = r$scale, rscales = r$rscales,
  degf = degf(r), mean_api00 = est1(svymean(~api00, r)), se_mean_api00 = se1(svymean(~api00, r)),
  se_total_enroll = se1(svytotal(~enroll, r)),
  se_by_stype = unname(SE(svyby(~api00, ~stype, r, svymean))))
out$jk1 <- repcase(rclus1, "as.svrepdesign(svydesign(id=~dnum, weights=~pw, data=apiclus1, fpc=~fpc), type='JK1')")
out$jkn <- repcase(rstrat, "as.svrepdesign(svydesign(id=~1, strata=~stype, weights=~pw, data=apistrat, fpc=~fpc), type='JKn')")

# --- BRR and Fay on a synthetic paired design -------------------------------------------
set.seed(20240611)
labs <- c("s07", "s02", "s10", "s01", "s05", "s03", "s09", "s04", "s08", "s06", "s11", "s12", "s13")
brrdat <- do.call(rbind, lapply(seq_along(labs), function(i) {
  npsu <- if (labs[i] == "s05") 4 else 2
  do.call(rbind, lapply(seq_len(npsu), function(j) data.frame(
    st = labs[i], psu = paste0(labs[i], "p", j), y = round(rnorm(3, 10 + i, 3), 2),
    w = round(runif(3, 5, 15), 2))))
}))
brrdat <- brrdat[sample(nrow(brrdat)), ]
write.csv(brrdat, "tests/reference/data/design_brr.csv", row.names = FALSE)
dbrr <- svydesign(id = ~psu, strata = ~st, weights = ~w, data = brrdat)
for (type in c("BRR", "Fay")) {
  r <- if (type == "BRR") as.svrepdesign(dbrr, type = "BRR", compress = FALSE) else
    as.svrepdesign(dbrr, type = "Fay", fay.rho = 0.3, compress = FALSE)
  out[[tolower(type)]] <- list(
    call = sprintf("as.svrepdesign(svydesign(id=~psu, strata=~st, weights=~w, data=design_brr), type='%s'%s)",
                   type, if (type == "Fay") ", fay.rho=0.3" else ""),
    repweights = unclass(r$repweights), scale = r$scale, rscales = r$rscales, degf = degf(r),
    mean_y = est1(svymean(~y, r)), se_mean_y = se1(svymean(~y, r)))
}

# --- bootstrap: R's replicate weights fed back through ReplicateDesign -------------------
set.seed(42)
rboot <- as.svrepdesign(dstrat, type = "bootstrap", replicates = 50)
out$bootstrap <- list(
  call = "set.seed(42); as.svrepdesign(dstrat, type='bootstrap', replicates=50)",
  analysis_weights = unclass(weights(rboot, "analysis")), scale = rboot$scale,
  se_mean_api00 = se1(svymean(~api00, rboot)), se_total_enroll = se1(svytotal(~enroll, rboot)),
  se_mean_api00_mse = se1(svymean(~api00, {r2 <- rboot; r2$mse <- TRUE; r2})))

# --- lonely PSUs: strata = county, PSU = district --------------------------------------
lonely <- list()
for (adj in c(FALSE, TRUE)) for (pol in c("adjust", "average", "certainty", "remove")) {
  options(survey.lonely.psu = pol, survey.adjust.domain.lonely = adj)
  d <- svydesign(id = ~dnum, strata = ~cname, weights = ~pw, data = apistrat, nest = TRUE)
  lonely[[length(lonely) + 1]] <- suppressWarnings(list(
    policy = pol, adjust_domain_lonely = adj,
    se_mean_api00 = se1(svymean(~api00, d)), se_total_enroll = se1(svytotal(~enroll, d)),
    se_by_stype = unname(SE(svyby(~api00, ~stype, d, svymean))),
    se_subset_h = se1(svymean(~api00, subset(d, stype == "H"))),
    degf = degf(d), degf_subset_h = degf(subset(d, stype == "H"))))
}
options(survey.lonely.psu = "fail", survey.adjust.domain.lonely = FALSE)
out$lonely <- list(call = "svydesign(id=~dnum, strata=~cname, weights=~pw, data=apistrat, nest=TRUE)",
                   cases = lonely)

# --- multistage with fpc and domains ----------------------------------------------------
dclus2 <- svydesign(id = ~dnum + snum, fpc = ~fpc1 + fpc2, data = apiclus2)
b2 <- svyby(~api00, ~stype + sch.wide, dclus2, svymean)
out$clus2 <- list(
  call = "svydesign(id=~dnum+snum, fpc=~fpc1+fpc2, data=apiclus2)",
  mean_api00 = est1(svymean(~api00, dclus2)), se_mean_api00 = se1(svymean(~api00, dclus2)),
  total_enroll = est1(svytotal(~enroll, dclus2, na.rm = TRUE)),
  se_total_enroll = se1(svytotal(~enroll, dclus2, na.rm = TRUE)),
  by_est = unname(coef(b2)), by_se = unname(SE(b2)),
  by_stype = as.character(b2$stype), by_schwide = as.character(b2$sch.wide),
  degf = degf(dclus2), deff_mean_api00 = unname(deff(svymean(~api00, dclus2, deff = TRUE))),
  deff_replace = unname(deff(svymean(~api00, dclus2, deff = "replace"))),
  deff_total = unname(deff(svytotal(~enroll, dclus2, na.rm = TRUE, deff = TRUE))))
sub1 <- subset(dclus1, stype == "E")
out$clus1_subset <- list(call = "svymean(~api00+enroll, subset(dclus1, stype=='E'))",
  mean = est1(svymean(~api00 + enroll, sub1)), se = se1(svymean(~api00 + enroll, sub1)),
  vcov = unclass(vcov(svymean(~api00 + enroll, sub1))), degf = degf(sub1))

# --- calibration records ----------------------------------------------------------------
pop.types <- data.frame(stype = c("E", "H", "M"), Freq = c(4421, 755, 1018))
dps <- postStratify(dclus1, ~stype, pop.types)
pop.schwide <- data.frame(sch.wide = c("No", "Yes"), Freq = c(1072, 5122))
drk <- rake(dclus1, list(~stype, ~sch.wide), list(pop.types, pop.schwide))
rk <- drk$postStrata[[1]]
dcal <- calibrate(dclus1, ~stype + api99, c(6194, 755, 1018, 3914069))
gc <- dcal$postStrata[[1]]
out$calibration <- list(
  poststratify = list(call = "postStratify(dclus1, ~stype, pop.types)",
    cells = as.integer(dps$postStrata[[1]]), weights = attr(dps$postStrata[[1]], "weights"),
    oldweights = attr(dps$postStrata[[1]], "oldweights"),
    mean_api00 = est1(svymean(~api00, dps)), se_mean_api00 = se1(svymean(~api00, dps)),
    se_total_enroll = se1(svytotal(~enroll, dps))),
  raking = list(call = "rake(dclus1, list(~stype, ~sch.wide), list(pop.types, pop.schwide))",
    margins = lapply(rk, function(m) list(cells = as.integer(m), weights = attr(m, "weights"))),
    final_weights = unname(weights(drk)),
    mean_api00 = est1(svymean(~api00, drk)), se_mean_api00 = se1(svymean(~api00, drk))),
  greg = list(call = "calibrate(dclus1, ~stype + api99, c(6194, 755, 1018, 3914069))",
    X = unname(qr.X(gc$qr)), w = gc$w, final_weights = unname(weights(dcal)),
    mean_api00 = est1(svymean(~api00, dcal)), se_mean_api00 = se1(svymean(~api00, dcal)),
    se_by_stype = unname(SE(svyby(~api00, ~stype, dcal, svymean)))))

writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, matrix = "rowmajor"),
           "tests/reference/ref_design_cases.json")
