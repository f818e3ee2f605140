# Reference designs for tests/estimation/test_reference_*.py: how each design is built in R,
# its degrees of freedom, and for replicate designs the replicate-weight multipliers,
# scale, rscales and mse, so that Python rebuilds the same ReplicateDesign from
# user-supplied weights (R's bootstrap and subbootstrap weights are random).
# Run from the repository root:  Rscript tests/reference/ref_estimation_designs.R
source("tests/reference/ref_estimation_common.R")

lin_entry <- function(name) {
  d <- designs[[name]]
  list(kind = "linearization", call = design_call(name), data = lin_designs[[name]]$data,
       spec = lin_designs[[name]]$spec, degf = degf(d), n = nrow(d),
       weights = unname(weights(d)))
}
rep_entry <- function(name) {
  d <- designs[[name]]
  stopifnot(!d$combined.weights)
  list(kind = "replicate", call = design_call(name), data = design_data(name),
       base = rep_designs[[name]]$base, type = d$type, seed = rep_designs[[name]]$seed,
       scale = d$scale, rscales = unname(d$rscales), mse = d$mse, degf = degf(d),
       fay_rho = if (is.null(d$rho)) NA else d$rho,
       n = nrow(d), replicates = ncol(d$repweights),
       pweights = unname(d$pweights),
       multipliers = unname(weights(d, "replication")))
}
out <- c(header(), list(
  extra_columns = list(apiclus2 = list(pair = apiclus2$pair, grp3 = apiclus2$grp3)),
  designs = c(lapply(setNames(names(lin_designs), names(lin_designs)), lin_entry),
              lapply(setNames(names(rep_designs), names(rep_designs)), rep_entry))))
write_json(out, "tests/reference/ref_estimation_designs.json", digits = NA,
           auto_unbox = TRUE, na = "null")
message("designs: ", length(out$designs))
