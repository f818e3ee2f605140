# Reference values for sk.glm(..., family = "ordinal"): R survey's svyolr (proportional odds,
# logistic link) on the api designs and on a synthetic Likert item.
# Run from the repository root (after python tests/reference/make_olr_likert.py):
#   Rscript tests/reference/ref_olr.R
#
# Precision. svyolr maximises the weighted log-likelihood with optim(method = "BFGS"), whose
# default reltol (1.5e-8 on the objective) leaves about 1e-4 relative error in the estimates,
# and takes the Hessian from optim's finite differences of the gradient with step
# ndeps = 1e-3, which moves the standard errors by about 1e-4 as well. svyolr passes `...` on
# to optim, so each case is run twice:
#   "values": svyolr(..., control = list(reltol = 0, maxit = 100000, ndeps = rep(1e-5, k)))
#             -- BFGS runs until it can no longer improve (estimates to ~1e-9) and the
#             Hessian is accurate to ~1e-10: compared at rel 1e-6;
#   "stock":  the plain svyolr(...) call -- compared at optim's own precision (rel 5e-3:
#             the replicate refits, always at the default reltol, dominate).
# svyolr.svyrep.design does not pass `...` to its replicate refits, so for replicate designs
# "values" repeats its algorithm (polr on the sampling weights, polr refits from those
# estimates with each replicate's analysis weights, svrVar) with the tight control.
source("tests/reference/ref_estimation_common.R")
suppressPackageStartupMessages(library(MASS))

tight <- function(k) list(reltol = 0, maxit = 100000L, ndeps = rep(1e-5, k))

likert <- read.csv("tests/reference/data/olr_likert.csv")
designs$dlikert <- svydesign(id = ~1, strata = ~municipality, weights = ~w, fpc = ~N,
                             data = likert)
likert_call <- paste("likert <- read.csv(\"olr_likert.csv\");",
                     "svydesign(id = ~1, strata = ~municipality, weights = ~w, fpc = ~N,",
                     "data = likert)")

# ordered responses cut from api00 (R's cut: right-closed intervals)
responses <- list(
  apicat = list(expr = "cut(api00, c(0, 550, 650, 750, 1000), labels = c(\"low\", \"mid\", \"high\", \"top\"), ordered_result = TRUE)",
                column = "api00", breaks = c(0, 550, 650, 750, 1000),
                labels = c("low", "mid", "high", "top")),
  api3 = list(expr = "cut(api00, c(0, 600, 700, 1000), labels = FALSE)",
              column = "api00", breaks = c(0, 600, 700, 1000), labels = NULL)
)

with_response <- function(design, name) {
  if (is.null(name)) return(design)
  eval(parse(text = sprintf("update(design, %s = %s)", name, responses[[name]]$expr)))
}

rep_tight <- function(formula, design) {
  environment(formula) <- environment()  # polr looks up the weights there (as svyolr does)
  df <- model.frame(design)
  pwt <- weights(design, "sampling")
  k0 <- polr(formula, data = df, weights = pwt, Hess = FALSE, model = FALSE)
  k <- length(c(k0$coefficients, k0$zeta))
  full <- polr(formula, data = df, weights = pwt, Hess = FALSE, model = FALSE,
               control = tight(k))
  start <- c(full$coefficients, full$zeta)
  rw <- weights(design, "analysis")
  betas <- apply(rw, 2, function(w) {
    environment(formula) <- environment()
    m <- polr(formula, data = df, weights = w, start = start, Hess = FALSE, model = FALSE,
              control = tight(k))
    c(m$coefficients, m$zeta)
  })
  v <- svrVar(t(betas), design$scale, design$rscales, mse = design$mse, coef = start)
  list(coef = start, se = sqrt(diag(as.matrix(v))), deviance = full$deviance / mean(pwt),
       df_residual = degf(design) - length(full$coefficients))
}

fit_values <- function(m) {
  list(terms = names(coef(m)), estimate = unname(coef(m)), se = unname(SE(m)),
       df_residual = m$df.residual, deviance = m$deviance)
}

cases <- list()
olr_case <- function(id, design_name, formula, response = NULL, subset = NULL) {
  design <- with_response(designs[[design_name]], response)
  if (!is.null(subset)) design <- eval(parse(text = sprintf("subset(design, %s)", subset)))
  f <- as.formula(formula)
  stock <- svyolr(f, design)
  k <- length(coef(stock))
  if (inherits(design, "svyrep.design")) {
    r <- rep_tight(f, design)
    values <- list(terms = names(coef(stock)), estimate = unname(r$coef), se = unname(r$se),
                   df_residual = r$df_residual, deviance = r$deviance)
  } else {
    values <- fit_values(svyolr(f, design, control = tight(k)))
  }
  call <- sprintf("svyolr(%s, %s%s)", formula,
                  if (is.null(subset)) design_name else sprintf("subset(%s, %s)", design_name, subset),
                  "")
  dcall <- if (design_name == "dlikert") likert_call else design_call(design_name)
  if (!is.null(response)) {
    dcall <- sprintf("%s; %s <- update(%s, %s = %s)", dcall, design_name, design_name,
                     response, responses[[response]]$expr)
  }
  cases[[length(cases) + 1]] <<- list(
    id = id, call = call, design = design_name, design_call = dcall,
    data = if (design_name == "dlikert") "olr_likert" else design_data(design_name),
    formula = formula, subset = subset,
    response = if (is.null(response)) NULL else c(list(name = response), responses[[response]][-1]),
    control = "control = list(reltol = 0, maxit = 100000, ndeps = rep(1e-5, k))",
    values = values,
    stock = list(estimate = unname(coef(stock)), se = unname(SE(stock)))
  )
}

olr_case("olr_dstrat_apicat", "dstrat", "apicat ~ ell + meals", "apicat")
olr_case("olr_dstrat_apicat_stype", "dstrat", "apicat ~ ell + meals + stype", "apicat")
olr_case("olr_dclus1_api3", "dclus1", "factor(api3) ~ ell + meals", "api3")
olr_case("olr_dclus2_apicat", "dclus2", "apicat ~ ell + meals + mobility", "apicat")
olr_case("olr_dclus1_apicat_subset", "dclus1", "apicat ~ ell + meals", "apicat",
         subset = "stype != \"E\"")
olr_case("olr_rclus1_jk1_api3", "rclus1_jk1", "factor(api3) ~ ell + meals", "api3")
olr_case("olr_rstrat_jkn_apicat", "rstrat_jkn", "apicat ~ ell + meals", "apicat")
olr_case("olr_likert_dlikert", "dlikert", "factor(proud) ~ age + sex")

write_cases(cases, "tests/reference/ref_olr.json",
            extra = list(MASS_version = as.character(packageVersion("MASS"))))
