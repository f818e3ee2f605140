# Banner tables: column percentages, nets, multi-select shares, means and NPS by a banner
# variable (svyby(..., svymean, covmat = TRUE)), and the p-value of every pair of banner
# columns (svycontrast of the two domain estimates, two-sided t at degf(design)), with the
# significance letters R's p.adjust gives for each adjustment. Independent of the other
# reference scripts.
# Data: api (apistrat, apiclus1) and a synthetic municipal survey (6 strata of 4 PSUs,
# missing answers, a multi-select set, a 0-10 item), written to the JSON and read back so
# R and surveykit use the same values.
# Run from the repository root:  Rscript tests/reference/ref_banner.R
suppressPackageStartupMessages({
  library(survey)
  library(jsonlite)
})
options(digits = 15, survey.lonely.psu = "fail", survey.replicates.mse = FALSE)

set.seed(20261203)
rows <- expand.grid(k = 1:25, psu_in = 1:4, st = 1:6)
n <- nrow(rows)
psu <- rows$st * 10 + rows$psu_in
sv <- data.frame(st = rows$st, psu = psu, w = round(runif(n, 40, 160), 2),
                 kjonn = sample(c("K", "M"), n, replace = TRUE),
                 alder = sample(c("18-34", "35-59", "60+"), n, replace = TRUE,
                                prob = c(0.3, 0.4, 0.3)),
                 kommune = sample(c("Alta", "Bodø", "Moss", "Voss"), n, replace = TRUE))
effect <- rnorm(24, 0, 0.3)[match(psu, unique(psu))]
latent <- 0.8 * (sv$alder == "60+") - 0.6 * (sv$kommune == "Moss") + 0.25 * (sv$kjonn == "K") +
  effect + rnorm(n)
sv$q1 <- as.integer(cut(latent, c(-Inf, -1, -0.2, 0.5, 1.3, Inf)))
sv$q1[sample(n, 30)] <- NA
sv$score <- round(50 + 8 * latent + rnorm(n, 0, 6), 1)
sv$score[sample(n, 20)] <- NA
sv$nps <- pmin(10L, pmax(0L, as.integer(round(7 + 1.8 * latent + rnorm(n)))))
sv$nps[sample(n, 25)] <- NA
shown <- runif(n) > 0.1
p_a <- ifelse(sv$alder == "18-34", 0.6, 0.3)
sv$opt_a <- ifelse(shown, as.integer(runif(n) < p_a), NA)
sv$opt_b <- ifelse(shown, as.integer(runif(n) < 0.4 + 0.2 * (sv$kommune == "Alta")), NA)
sv$opt_c <- ifelse(shown, as.integer(runif(n) < 0.15), NA)
sv$kanal <- ifelse(latent + rnorm(n) > 0.5, "nett", ifelse(sv$alder == "60+", "papir", "telefon"))
sv <- fromJSON(toJSON(sv, digits = NA, na = "null"))
sv$prom <- as.numeric(sv$nps >= 9)
sv$det <- as.numeric(sv$nps <= 6)
# factors with every level, so that each domain of svyby keeps all categories
sv$q1f <- factor(sv$q1, levels = 1:5)
sv$kanalf <- factor(sv$kanal, levels = c("nett", "papir", "telefon"))

data(api)
dsyn <- svydesign(id = ~psu, strata = ~st, weights = ~w, data = sv)
dstrat <- svydesign(id = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc, data = apistrat)
dclus1 <- svydesign(id = ~dnum, weights = ~pw, fpc = ~fpc, data = apiclus1)
designs <- list(syn = dsyn, syn_jkn = as.svrepdesign(dsyn, type = "JKn"),
                strat = dstrat, clus1_jk1 = as.svrepdesign(dclus1, type = "JK1"))
calls <- list(
  syn = "svydesign(id = ~psu, strata = ~st, weights = ~w, data = sv)",
  syn_jkn = 'as.svrepdesign(syn, type = "JKn")',
  strat = "svydesign(id = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc, data = apistrat)",
  clus1_jk1 = 'as.svrepdesign(svydesign(id = ~dnum, weights = ~pw, fpc = ~fpc, data = apiclus1), type = "JK1")')

unit <- function(k, m, s = 100) { v <- rep(0, m); v[k] <- s; v }
# a row question: the formula R estimates, its statistics, and the display rows as
# coefficients on those statistics (percent = 100 x a share)
# a Likert item: its five categories, the nets, and the mean of its codes 1-5
likert <- list(formula = "~q1f + q1", var = "q1", kind = "likert",
               stats = c(paste0("q1f", 1:5), "q1"),
               rows = c(lapply(1:5, function(k) list(kind = "category", coef = unit(k, 6))),
                        list(list(kind = "net", coef = c(0, 0, 0, 100, 100, 0)),
                             list(kind = "net", coef = c(100, 100, 0, 0, 0, 0)),
                             list(kind = "mean", coef = unit(6, 6, 1)))))
kanal <- list(formula = "~kanalf", var = "kanal", kind = "categories",
              stats = paste0("kanalf", c("nett", "papir", "telefon")),
              rows = lapply(1:3, function(k) list(kind = "category", coef = unit(k, 3))))
multi <- list(formula = "~opt_a + opt_b + opt_c", var = c("opt_a", "opt_b", "opt_c"),
              kind = "multi", stats = c("opt_a", "opt_b", "opt_c"),
              rows = lapply(1:3, function(k) list(kind = "option", coef = unit(k, 3))))
score <- list(formula = "~score", var = "score", kind = "mean", stats = "score",
              rows = list(list(kind = "mean", coef = 1)))
nps <- list(formula = "~prom + det", var = "nps", kind = "nps", stats = c("prom", "det"),
            rows = list(list(kind = "nps", coef = c(100, -100))))
schwide <- list(formula = "~sch.wide", var = "sch.wide", kind = "categories",
                stats = c("sch.wideNo", "sch.wideYes"),
                rows = lapply(1:2, function(k) list(kind = "category", coef = unit(k, 2))))
api00 <- list(formula = "~api00", var = "api00", kind = "mean", stats = "api00",
              rows = list(list(kind = "mean", coef = 1)))
plan <- list(syn = list(rows = list(likert, kanal, multi, score, nps),
                        banners = c("kjonn", "alder", "kommune")),
             syn_jkn = list(rows = list(likert, multi, nps), banners = c("alder", "kommune")),
             strat = list(rows = list(schwide, api00), banners = c("stype", "awards")),
             clus1_jk1 = list(rows = list(schwide, api00), banners = c("stype", "awards")))

methods <- c(none = "none", bonferroni = "bonferroni", holm = "holm", bh = "BH")
letters_of <- function(est_i, est_j, p, pairs, n_col, alpha, alpha2) {
  marks <- rep("", n_col)
  got <- vector("list", n_col)
  for (k in seq_len(nrow(pairs))) {
    if (is.na(p[k]) || est_i[k] == est_j[k]) next
    hi <- if (est_i[k] > est_j[k]) pairs[k, 1] else pairs[k, 2]
    lo <- if (est_i[k] > est_j[k]) pairs[k, 2] else pairs[k, 1]
    if (p[k] < alpha) got[[hi]] <- rbind(got[[hi]], data.frame(c = lo, s = LETTERS[lo]))
    else if (p[k] < alpha2) got[[hi]] <- rbind(got[[hi]], data.frame(c = lo, s = tolower(LETTERS[lo])))
  }
  for (i in seq_len(n_col)) if (!is.null(got[[i]])) {
    g <- got[[i]][order(got[[i]]$c), ]
    marks[i] <- paste(g$s, collapse = "")
  }
  marks
}

one_case <- function(dn, q, bvar) {
  d <- designs[[dn]]
  vars <- q$var
  keep <- Reduce(`&`, lapply(vars, function(v) !is.na(d$variables[[v]])))
  dsub <- d[keep, ]
  f <- as.formula(q$formula)
  by <- svyby(f, as.formula(paste0("~", bvar)), dsub, svymean, covmat = TRUE)
  doms <- as.character(by[[bvar]])
  m <- length(q$stats)
  nm <- if (m == 1) doms else as.vector(outer(doms, q$stats, paste, sep = ":"))  # domain fastest
  stopifnot(identical(nm, names(coef(by))))
  tot <- svymean(f, dsub)
  D <- length(doms)
  df <- degf(d)
  pairs <- t(combn(D, 2))
  out_rows <- list()
  for (r in seq_along(q$rows)) {
    cf <- q$rows[[r]]$coef
    ldom <- lapply(seq_len(D), function(i) { v <- rep(0, D * m); v[(seq_len(m) - 1) * D + i] <- cf; v })
    names(ldom) <- doms
    shown <- svycontrast(by, ldom)
    total <- svycontrast(tot, cf)
    lpair <- lapply(seq_len(nrow(pairs)), function(k) ldom[[pairs[k, 1]]] - ldom[[pairs[k, 2]]])
    names(lpair) <- paste(doms[pairs[, 1]], doms[pairs[, 2]], sep = "-")
    pc <- svycontrast(by, lpair)
    z <- as.vector(coef(pc)) / as.vector(SE(pc))
    p <- 2 * pt(-abs(z), df)
    est <- coef(shown)
    lets <- lapply(methods, function(meth) {
      padj <- p.adjust(p, meth)
      letters_of(est[pairs[, 1]], est[pairs[, 2]], padj, pairs, D, 0.05, 0.10)
    })
    out_rows[[r]] <- list(kind = q$rows[[r]]$kind, coef = cf,
                          total = unname(coef(total)), total_se = as.vector(SE(total)),
                          estimate = unname(est), se = as.vector(SE(shown)),
                          pair_a = pairs[, 1] - 1, pair_b = pairs[, 2] - 1,
                          difference = unname(coef(pc)), difference_se = as.vector(SE(pc)),
                          p_value = unname(p), letters = lets)
  }
  list(id = paste(dn, q$kind, paste(vars, collapse = "+"), bvar, sep = "_"), design = dn,
       row = vars, kind = q$kind, banner = bvar, columns = doms, df = df,
       call = sprintf("svyby(%s, ~%s, subset(%s, !is.na(%s)), svymean, covmat = TRUE); svycontrast of each pair; 2 * pt(-abs(z), degf(%s))",
                      q$formula, bvar, dn, vars[1], dn),
       svyby_names = nm, svyby_estimate = unname(coef(by)), svyby_se = as.vector(as.matrix(SE(by))),
       n = unname(as.vector(table(factor(dsub$variables[[bvar]], levels = doms)[weights(dsub, "sampling") != 0]))),
       rows = out_rows)
}

cases <- list()
for (dn in names(plan)) {
  for (q in plan[[dn]]$rows) {
    for (bvar in plan[[dn]]$banners) cases[[length(cases) + 1]] <- one_case(dn, q, bvar)
  }
}
out <- list(R_version = R.version.string, survey_version = as.character(packageVersion("survey")),
            data = sv[, setdiff(names(sv), c("prom", "det", "q1f", "kanalf"))], designs = calls,
            level = 0.95, second_level = 0.90, cases = cases)
write_json(out, "tests/reference/ref_banner.json", digits = NA, auto_unbox = TRUE,
           pretty = TRUE, na = "null", matrix = "rowmajor")
