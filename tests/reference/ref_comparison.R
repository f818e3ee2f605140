# Reference values for sk.compare / sk.nps / sk.top_box (tests/comparison/test_comparison_reference.py).
#
# Run from the repository root:  Rscript tests/reference/ref_comparison.R
# Writes tests/reference/ref_comparison.json (15 significant digits).
#
# Two kinds of "waves" are built from R's api data:
#   independent: wave a = apistrat (stratified), wave b = apiclus1 (cluster sample); the
#     variance of a difference is the sum of the two variances.
#   overlapping: two waves that share PSUs, stacked into one design with the wave as a
#     domain, then svyby(~y, ~wave, design, svymean, covmat = TRUE) + svycontrast.
# Constructed variables (the same formulas are in the Python test):
#   rec   = pmin(10, pmax(0, floor((api - 300) / 45)))   a 0-10 "recommend" answer
#   yes   = as.numeric(factor == "Yes")
suppressPackageStartupMessages({
  library(survey)
  library(jsonlite)
})
options(digits = 15, survey.lonely.psu = "fail")
data(api)

rec <- function(x) pmin(10, pmax(0, floor((x - 300) / 45)))
for (nm in c("apistrat", "apiclus1")) {
  d <- get(nm)
  d$rec00 <- rec(d$api00)
  d$rec99 <- rec(d$api99)
  d$prom00 <- as.numeric(d$rec00 >= 9)
  d$det00 <- as.numeric(d$rec00 <= 6)
  assign(nm, d)
}

dstrat <- svydesign(id = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc, data = apistrat)
dclus1 <- svydesign(id = ~dnum, weights = ~pw, fpc = ~fpc, data = apiclus1)
cases <- list()
add <- function(name, path, measure, call, rows) {
  cases[[length(cases) + 1]] <<- list(name = name, path = path, measure = measure,
                                      call = call, rows = rows)
}
row <- function(a, va, b, vb, diff, vdiff, by = NULL, level = NULL) {
  list(by = by, level = level, estimate_a = as.numeric(a), se_a = sqrt(as.numeric(va)),
       estimate_b = as.numeric(b), se_b = sqrt(as.numeric(vb)), difference = as.numeric(diff),
       se_difference = sqrt(as.numeric(vdiff)))
}

# --- independent waves ------------------------------------------------------------------
indep_mean <- function(var, da, db) {
  f <- as.formula(paste0("~", var))
  a <- svymean(f, da); b <- svymean(f, db)
  row(coef(a), vcov(a), coef(b), vcov(b), coef(b) - coef(a), vcov(a) + vcov(b))
}
add("indep_mean_api00", "independent", "mean",
    "a <- svymean(~api00, dstrat); b <- svymean(~api00, dclus1); coef(b) - coef(a); sqrt(vcov(a) + vcov(b))",
    list(indep_mean("api00", dstrat, dclus1)))

a <- svymean(~sch.wide, dstrat); b <- svymean(~sch.wide, dclus1)
add("indep_proportion_sch_wide", "independent", "proportion",
    "a <- svymean(~sch.wide, dstrat); b <- svymean(~sch.wide, dclus1); coef(b) - coef(a); sqrt(diag(vcov(a)) + diag(vcov(b)))",
    lapply(c("No", "Yes"), function(l) {
      k <- paste0("sch.wide", l)
      row(coef(a)[k], vcov(a)[k, k], coef(b)[k], vcov(b)[k, k], coef(b)[k] - coef(a)[k],
          vcov(a)[k, k] + vcov(b)[k, k], level = l)
    }))

nps_of <- function(design) svycontrast(svymean(~prom00 + det00, design), c(prom00 = 100, det00 = -100))
a <- nps_of(dstrat); b <- nps_of(dclus1)
add("indep_nps_rec00", "independent", "nps",
    "nps <- function(d) svycontrast(svymean(~prom00 + det00, d), c(prom00 = 100, det00 = -100)); a <- nps(dstrat); b <- nps(dclus1); coef(b) - coef(a); sqrt(vcov(a) + vcov(b))",
    list(row(coef(a), vcov(a), coef(b), vcov(b), coef(b) - coef(a), vcov(a) + vcov(b))))

a <- svyby(~api00, ~stype, dstrat, svymean); b <- svyby(~api00, ~stype, dclus1, svymean)
add("indep_mean_api00_by_stype", "independent", "mean",
    "a <- svyby(~api00, ~stype, dstrat, svymean); b <- svyby(~api00, ~stype, dclus1, svymean); coef(b) - coef(a); sqrt(SE(a)^2 + SE(b)^2)",
    lapply(c("E", "H", "M"), function(s) {
      row(coef(a)[s], SE(a)[a$stype == s]^2, coef(b)[s], SE(b)[b$stype == s]^2,
          coef(b)[s] - coef(a)[s], SE(a)[a$stype == s]^2 + SE(b)[b$stype == s]^2,
          by = list(stype = s))
    }))

rclus1 <- as.svrepdesign(dclus1, type = "JK1")
add("indep_mean_api00_jk1", "independent", "mean",
    "rclus1 <- as.svrepdesign(dclus1, type = 'JK1'); a <- svymean(~api00, dstrat); b <- svymean(~api00, rclus1); coef(b) - coef(a); sqrt(vcov(a) + vcov(b))",
    list(indep_mean("api00", dstrat, rclus1)))

tb <- svymean(~as.numeric(rec00 >= 9), dstrat)
add("top_two_box_rec00", "single", "top_box",
    "svymean(~as.numeric(rec00 >= 9), dstrat)  # top-two box (codes 9, 10) of the 0-10 scale",
    list(list(estimate = as.numeric(coef(tb)), se = as.numeric(SE(tb)))))
nps1 <- nps_of(dclus1)
add("nps_rec00_clus1", "single", "nps",
    "svycontrast(svymean(~prom00 + det00, dclus1), c(prom00 = 100, det00 = -100))",
    list(list(estimate = as.numeric(coef(nps1)), se = as.numeric(SE(nps1)))))

# --- overlapping waves: stacked designs -------------------------------------------------
stacked_contrast <- function(design, formula = ~y, level = NULL) {
  b <- svyby(formula, ~wave, design, svymean, covmat = TRUE)
  ct <- svycontrast(b, c(-1, 1))
  row(coef(b)[1], vcov(b)[1, 1], coef(b)[2], vcov(b)[2, 2], coef(ct), vcov(ct), level = level)
}
panel <- function(data, y1, y2) {
  w1 <- data; w1$y <- w1[[y1]]; w1$wave <- "w1"
  w2 <- data; w2$y <- w2[[y2]]; w2$wave <- "w2"
  rbind(w1, w2)
}
# (1) a full panel of apiclus1: the same schools in both waves (api99 then api00)
pclus <- panel(apiclus1, "api99", "api00")
dpclus <- svydesign(id = ~dnum, weights = ~pw, fpc = ~fpc, data = pclus)
add("overlap_panel_clus1_mean", "overlapping", "mean",
    "pclus <- rbind(apiclus1 with y = api99, wave = 'w1'; apiclus1 with y = api00, wave = 'w2'); d <- svydesign(id = ~dnum, weights = ~pw, fpc = ~fpc, data = pclus); svycontrast(svyby(~y, ~wave, d, svymean, covmat = TRUE), c(-1, 1))",
    list(stacked_contrast(dpclus)))

# (2) apiclus1 split into two waves by school number: different schools, shared districts
split <- apiclus1; split$y <- split$api00
split$wave <- ifelse(split$snum %% 2 == 0, "w2", "w1")
dsplit <- svydesign(id = ~dnum, weights = ~pw, fpc = ~fpc, data = split)
add("overlap_split_clus1_mean", "overlapping", "mean",
    "split <- apiclus1; split$y <- split$api00; split$wave <- ifelse(split$snum %% 2 == 0, 'w2', 'w1'); d <- svydesign(id = ~dnum, weights = ~pw, fpc = ~fpc, data = split); svycontrast(svyby(~y, ~wave, d, svymean, covmat = TRUE), c(-1, 1))",
    list(stacked_contrast(dsplit)))

# (3) apistrat with a panel part: schools 51-150 in both waves (PSU = school)
w1 <- apistrat[1:150, ]; w1$y <- w1$api99; w1$wave <- "w1"
w2 <- apistrat[51:200, ]; w2$y <- w2$api00; w2$wave <- "w2"
pstrat <- rbind(w1, w2)
dpstrat <- svydesign(id = ~snum, strata = ~stype, weights = ~pw, fpc = ~fpc, data = pstrat)
add("overlap_panel_part_strat_mean", "overlapping", "mean",
    "w1 <- apistrat[1:150, ] (y = api99); w2 <- apistrat[51:200, ] (y = api00); d <- svydesign(id = ~snum, strata = ~stype, weights = ~pw, fpc = ~fpc, data = rbind(w1, w2)); svycontrast(svyby(~y, ~wave, d, svymean, covmat = TRUE), c(-1, 1))",
    list(stacked_contrast(dpstrat)))

# (4) proportion in a panel: share "Yes" of sch.wide (wave 1) and comp.imp (wave 2)
pyes <- panel(apiclus1, "sch.wide", "comp.imp")
pyes$yes <- as.numeric(pyes$y == "Yes"); pyes$no <- as.numeric(pyes$y == "No")
dpyes <- svydesign(id = ~dnum, weights = ~pw, fpc = ~fpc, data = pyes)
add("overlap_panel_clus1_proportion", "overlapping", "proportion",
    "pyes <- rbind(apiclus1 with y = sch.wide, wave 'w1'; with y = comp.imp, wave 'w2'); yes <- as.numeric(y == 'Yes'); d <- svydesign(id = ~dnum, weights = ~pw, fpc = ~fpc, data = pyes); svycontrast(svyby(~yes, ~wave, d, svymean, covmat = TRUE), c(-1, 1)) (and ~no)",
    list(stacked_contrast(dpyes, ~no, "No"), stacked_contrast(dpyes, ~yes, "Yes")))

# (5) NPS in a panel: rec99 (wave 1) and rec00 (wave 2)
pnps <- panel(apiclus1, "rec99", "rec00")
pnps$prom <- as.numeric(pnps$y >= 9); pnps$det <- as.numeric(pnps$y <= 6)
dpnps <- svydesign(id = ~dnum, weights = ~pw, fpc = ~fpc, data = pnps)
bn <- svyby(~prom + det, ~wave, dpnps, svymean, covmat = TRUE)
nm <- names(coef(bn))
wa <- 100 * (grepl("w1", nm) * (grepl("prom", nm) - grepl("det", nm)))
wb <- 100 * (grepl("w2", nm) * (grepl("prom", nm) - grepl("det", nm)))
na <- svycontrast(bn, wa); nb <- svycontrast(bn, wb); nd <- svycontrast(bn, wb - wa)
add("overlap_panel_clus1_nps", "overlapping", "nps",
    "pnps <- rbind(apiclus1 with y = rec99, wave 'w1'; with y = rec00, wave 'w2'); b <- svyby(~prom + det, ~wave, d, svymean, covmat = TRUE); svycontrast(b, 100 * (w2:prom - w2:det - w1:prom + w1:det))",
    list(row(coef(na), vcov(na), coef(nb), vcov(nb), coef(nd), vcov(nd))))

# (6) a panel with domains: difference by school type
bs <- svyby(~y, ~stype + wave, dpclus, svymean, covmat = TRUE)
add("overlap_panel_clus1_mean_by_stype", "overlapping", "mean",
    "b <- svyby(~y, ~stype + wave, d (the apiclus1 panel), svymean, covmat = TRUE); svycontrast(b, <w2 - w1 within each stype>)",
    lapply(c("E", "H", "M"), function(s) {
      ka <- paste0(s, ".w1"); kb <- paste0(s, ".w2")
      wv <- setNames(rep(0, length(coef(bs))), names(coef(bs))); wv[kb] <- 1; wv[ka] <- -1
      ct <- svycontrast(bs, wv)
      row(coef(bs)[ka], vcov(bs)[ka, ka], coef(bs)[kb], vcov(bs)[kb, kb], coef(ct), vcov(ct),
          by = list(stype = s))
    }))

# (7) the apiclus1 panel with JK1 replicate weights built on the stacked design
rpclus <- as.svrepdesign(dpclus, type = "JK1")
add("overlap_panel_clus1_mean_jk1", "overlapping", "mean",
    "r <- as.svrepdesign(svydesign(id = ~dnum, weights = ~pw, fpc = ~fpc, data = pclus), type = 'JK1'); svycontrast(svyby(~y, ~wave, r, svymean, covmat = TRUE), c(-1, 1))",
    list(stacked_contrast(rpclus)))

out <- list(R_version = R.version.string,
            survey_version = as.character(packageVersion("survey")),
            cases = cases)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, null = "null"),
           "tests/reference/ref_comparison.json")
cat("wrote", length(cases), "cases\n")
