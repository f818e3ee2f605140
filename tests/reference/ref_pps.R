# PPS designs without replacement (R's svydesign(pps = ...)): Brewer, Overton, Hartley-Rao
# (with a known and an estimated sum of squared probabilities) and joint inclusion
# probabilities (ppsmat), each with the Horvitz-Thompson and, where R allows it, the
# Yates-Grundy variance. Data other than api: R's election_pps sample and two synthetic
# stratified PPS samples (elements, and clusters with a second stage).
# Run from the repository root:  Rscript tests/reference/ref_pps.R
# The data and joint probabilities are written to the JSON and read back before any
# estimate, so R and surveykit compute from the same binary values.
suppressPackageStartupMessages({
  library(survey)
  library(jsonlite)
  library(sampling)
})
options(digits = 15, survey.lonely.psu = "fail")
data(election)

roundtrip <- function(x) fromJSON(toJSON(x, digits = NA, matrix = "rowmajor"))

# --- data --------------------------------------------------------------------------------
el <- election_pps[, c("Bush", "Kerry", "Nader", "votes", "p")]
el$big <- as.integer(el$votes > 200000)
el$kerry_won <- as.integer(el$Kerry > el$Bush)
el <- roundtrip(el)
el_joint <- roundtrip(unname(as.matrix(election_jointprob)))
el_psum <- roundtrip(sum(election$p^2) / 40)

# stratified element sample: Sampford-type pps (Tille) within 3 strata, exact joint probs
set.seed(20261203)
Nh <- c(30, 24, 36); nh <- c(6, 5, 8)
syn <- NULL; syn_joint <- matrix(0, sum(nh), sum(nh))
off <- 0
for (h in 1:3) {
  size <- round(rgamma(Nh[h], shape = 2, scale = 10) + 1)
  pik <- inclusionprobabilities(size, nh[h])
  s <- UPtille(pik)
  pi2 <- UPtillepi2(pik)[s == 1, s == 1]
  idx <- which(s == 1)
  x <- size[idx]
  y <- round(3 * x + rnorm(length(idx), 0, 8), 1)
  z <- round(x + rnorm(length(idx), 20, 4), 1)
  syn <- rbind(syn, data.frame(st = h, x = x, y = y, z = z, p = pik[idx],
                               yes = as.integer(y > 3 * x), g = ifelse(idx %% 2 == 0, "a", "b")))
  syn_joint[off + seq_along(idx), off + seq_along(idx)] <- pi2
  off <- off + length(idx)
}
# independent strata: pi_ij = pi_i pi_j across strata
pall <- syn$p
cross <- outer(syn$st, syn$st, "!=")
syn_joint[cross] <- outer(pall, pall)[cross]
syn <- roundtrip(syn)
syn_joint <- roundtrip(syn_joint)
syn_psum <- roundtrip(as.vector(tapply(syn$p, syn$st, function(p) sum(p^2) / length(p) * 0.9)))

# clustered sample: 2 strata, PSUs drawn pps, 3 or 4 elements per PSU drawn by SRS
set.seed(20261204)
clus <- NULL
for (h in 1:2) {
  M <- c(16, 20)[h]; m <- c(5, 6)[h]
  msize <- round(runif(M, 5, 40))
  pik <- inclusionprobabilities(msize, m)
  sel <- which(UPtille(pik) == 1)
  for (j in sel) {
    k <- if (j %% 2 == 0) 3 else 4
    x <- round(rnorm(k, 10, 3), 1)
    clus <- rbind(clus, data.frame(st = h, psu = 100 * h + j, p1 = pik[j], f2 = k / msize[j],
                                   x = x, y = round(2 * x + rnorm(k, 5, 2), 1),
                                   z = round(x + runif(k, 1, 5), 1)))
  }
}
clus <- clus[order(clus$st, clus$psu), ]
clus <- roundtrip(clus)

datasets <- list(election = el, syn = syn, clus = clus)
joints <- list(election = el_joint, syn = syn_joint)

# --- designs -----------------------------------------------------------------------------
# spec: the SurveyDesign arguments; pps: the method (with psum / joint matrix name)
pd <- list(
  el_brewer = list(data = "election", spec = list(fpc = "p"), pps = list(kind = "brewer"),
                   call = 'svydesign(id = ~1, fpc = ~p, data = el, pps = "brewer")'),
  el_overton = list(data = "election", spec = list(fpc = "p"), pps = list(kind = "overton"),
                    call = 'svydesign(id = ~1, fpc = ~p, data = el, pps = "overton")'),
  el_hr = list(data = "election", spec = list(fpc = "p"), pps = list(kind = "hr", psum = el_psum),
               call = "svydesign(id = ~1, fpc = ~p, data = el, pps = HR(el_psum))"),
  el_hr1 = list(data = "election", spec = list(fpc = "p"), pps = list(kind = "hr"),
                call = "svydesign(id = ~1, fpc = ~p, data = el, pps = HR())"),
  el_ht = list(data = "election", spec = list(fpc = "p"), pps = list(kind = "matrix", joint = "election"),
               call = "svydesign(id = ~1, fpc = ~p, data = el, pps = ppsmat(el_joint))"),
  el_yg = list(data = "election", spec = list(fpc = "p", variance = "YG"),
               pps = list(kind = "matrix", joint = "election"),
               call = 'svydesign(id = ~1, fpc = ~p, data = el, pps = ppsmat(el_joint), variance = "YG")'),
  el_hr_yg = list(data = "election", spec = list(fpc = "p", variance = "YG"),
                  pps = list(kind = "hr", psum = el_psum),
                  call = 'svydesign(id = ~1, fpc = ~p, data = el, pps = HR(el_psum), variance = "YG")'),
  el_overton_yg = list(data = "election", spec = list(probs = "p", variance = "YG"),
                       pps = list(kind = "overton"),
                       call = 'svydesign(id = ~1, probs = ~p, data = el, pps = "overton", variance = "YG")'),
  syn_brewer = list(data = "syn", spec = list(strata = "st", fpc = "p"), pps = list(kind = "brewer"),
                    call = 'svydesign(id = ~1, strata = ~st, fpc = ~p, data = syn, pps = "brewer")'),
  syn_hr1 = list(data = "syn", spec = list(strata = "st", fpc = "p"), pps = list(kind = "hr"),
                 call = "svydesign(id = ~1, strata = ~st, fpc = ~p, data = syn, pps = HR())"),
  syn_hr = list(data = "syn", spec = list(strata = "st", fpc = "p"),
                pps = list(kind = "hr", psum = setNames(as.list(syn_psum), c("1", "2", "3"))),
                call = "svydesign(id = ~1, strata = ~st, fpc = ~p, data = syn, pps = HR(list(syn_psum)))"),
  syn_ht = list(data = "syn", spec = list(strata = "st", fpc = "p"),
                pps = list(kind = "matrix", joint = "syn"),
                call = "svydesign(id = ~1, strata = ~st, fpc = ~p, data = syn, pps = ppsmat(syn_joint))"),
  syn_yg = list(data = "syn", spec = list(strata = "st", fpc = "p", variance = "YG"),
                pps = list(kind = "matrix", joint = "syn"),
                call = 'svydesign(id = ~1, strata = ~st, fpc = ~p, data = syn, pps = ppsmat(syn_joint), variance = "YG")'),
  clus_brewer2 = list(data = "clus", spec = list(strata = "st", psu = c("psu", "rowid"), fpc = c("p1", "f2")),
                      pps = list(kind = "brewer"),
                      call = 'svydesign(id = ~psu + rowid, strata = ~st, fpc = ~p1 + f2, data = clus, pps = "brewer")'),
  clus_brewer1 = list(data = "clus", spec = list(strata = "st", psu = "psu", fpc = "p1"),
                      pps = list(kind = "brewer"),
                      call = 'svydesign(id = ~psu, strata = ~st, fpc = ~p1, data = clus, pps = "brewer")'),
  clus_hr1 = list(data = "clus", spec = list(strata = "st", psu = "psu", fpc = "p1"), pps = list(kind = "hr"),
                  call = "svydesign(id = ~psu, strata = ~st, fpc = ~p1, data = clus, pps = HR())"),
  clus_overton = list(data = "clus", spec = list(strata = "st", psu = "psu", fpc = "p1"),
                      pps = list(kind = "overton"),
                      call = 'svydesign(id = ~psu, strata = ~st, fpc = ~p1, data = clus, pps = "overton")')
)
clus$rowid <- seq_len(nrow(clus))
datasets$clus <- clus
syn$st <- syn$st  # numeric strata 1..3: HR(list(syn_psum)) indexes psum by stratum number
designs <- lapply(pd, function(d) eval(parse(text = d$call)))

# --- cases -------------------------------------------------------------------------------
vars <- list(election = c("Bush", "Kerry"), syn = c("y", "z"), clus = c("y", "z"))
glm_f <- list(election = "Bush ~ Kerry", syn = "y ~ x", clus = "y ~ x")
bin_f <- list(election = "kerry_won ~ big", syn = "yes ~ x", clus = NULL)
by_v <- list(election = "big", syn = "g", clus = NULL)
cases <- list()
add <- function(id, design, call, kind, args, value, rel = 1e-9, full = TRUE) {
  cases[[length(cases) + 1]] <<- list(
    id = id, design = design, call = call, kind = kind, args = args,
    estimate = unname(as.vector(coef(value))), se = unname(as.vector(SE(value))),
    vcov = if (full) unname(as.matrix(vcov(value))) else NULL, rel = rel)
}
for (dn in names(pd)) {
  d <- designs[[dn]]; dat <- pd[[dn]]$data; v <- vars[[dat]]
  fv <- as.formula(paste("~", paste(v, collapse = "+")))
  add(paste0(dn, "_total"), dn, sprintf("svytotal(%s, %s)", deparse(fv), dn), "total",
      list(variables = v), svytotal(fv, d))
  add(paste0(dn, "_mean"), dn, sprintf("svymean(%s, %s)", deparse(fv), dn), "mean",
      list(variables = v), svymean(fv, d))
  r <- svyratio(as.formula(paste("~", v[1])), as.formula(paste("~", v[2])), d)
  cases[[length(cases) + 1]] <- list(id = paste0(dn, "_ratio"), design = dn,
    call = sprintf("svyratio(~%s, ~%s, %s)", v[1], v[2], dn), kind = "ratio",
    args = list(numerator = v[1], denominator = v[2]), estimate = as.vector(coef(r)),
    se = as.vector(SE(r)), rel = 1e-9)
  g <- svyglm(as.formula(glm_f[[dat]]), d)
  add(paste0(dn, "_glm"), dn, sprintf("svyglm(%s, %s)", glm_f[[dat]], dn), "glm",
      list(formula = glm_f[[dat]], family = "gaussian"), g, rel = 1e-6)
  if (!is.null(bin_f[[dat]])) {
    gb <- svyglm(as.formula(bin_f[[dat]]), d, family = quasibinomial())
    add(paste0(dn, "_glm_binomial"), dn,
        sprintf("svyglm(%s, %s, family = quasibinomial())", bin_f[[dat]], dn), "glm",
        list(formula = bin_f[[dat]], family = "binomial"), gb, rel = 1e-6)
  }
  if (!is.null(by_v[[dat]])) {
    # covmat = TRUE fails on PPS designs in R 4.1.1 (no influence functions): SEs only
    b <- svyby(as.formula(paste("~", v[1])), as.formula(paste("~", by_v[[dat]])), d, svymean)
    add(paste0(dn, "_by_mean"), dn,
        sprintf("svyby(~%s, ~%s, %s, svymean)", v[1], by_v[[dat]], dn),
        "mean", list(variables = v[1], by = by_v[[dat]]), b, full = FALSE)
  }
}
# a domain of a PPS design keeps every stratum and cluster (R sets prob = Inf outside)
for (dn in c("el_brewer", "el_ht", "syn_brewer", "syn_yg")) {
  dat <- pd[[dn]]$data; v <- vars[[dat]][1]
  cond <- if (dat == "election") "votes > 100000" else "x > 10"
  add(paste0(dn, "_subset_total"), dn, sprintf("svytotal(~%s, subset(%s, %s))", v, dn, cond),
      "total", list(variables = v, subset = cond), svytotal(as.formula(paste("~", v)),
                                                             subset(designs[[dn]], eval(parse(text = cond)))))
}
# quantile on a Brewer design (ordinary linearisation engine; R gives NaN on matrix designs)
q <- svyquantile(~Bush, designs$el_brewer, 0.5, ci = TRUE)
cases[[length(cases) + 1]] <- list(id = "el_brewer_quantile", design = "el_brewer",
  call = "svyquantile(~Bush, el_brewer, 0.5, ci = TRUE)", kind = "quantile",
  args = list(variables = "Bush", q = 0.5), estimate = as.vector(coef(q)),
  se = as.vector(SE(q)), ci = as.vector(confint(q)), rel = 1e-9)
# calibrated PPS designs: linear calibration on votes (Brewer: R's svyrecvar residualises;
# matrix designs: R 4.1.1's ppsvar computes the residuals but uses the raw values)
for (dn in c("el_brewer", "el_ht", "el_hr1", "el_overton_yg")) {
  cd <- calibrate(designs[[dn]], ~votes, c(`(Intercept)` = 13000, votes = 1.2e8))
  add(paste0(dn, "_calibrated_total"), dn,
      sprintf("svytotal(~Bush + Kerry, calibrate(%s, ~votes, c(`(Intercept)` = 13000, votes = 1.2e8)))", dn),
      "calibrated_total", list(variables = c("Bush", "Kerry"), population_total = 13000,
                               votes = 1.2e8), svytotal(~Bush + Kerry, cd))
}
degf_cases <- lapply(designs, degf)

out <- list(R_version = R.version.string, survey_version = as.character(packageVersion("survey")),
            data = datasets, joint = joints, designs = lapply(pd, function(d) d[c("data", "spec", "pps", "call")]),
            degf = degf_cases, cases = cases)
write_json(out, "tests/reference/ref_pps.json", digits = NA, auto_unbox = TRUE, pretty = TRUE,
           na = "null", matrix = "rowmajor")
