"""Prefect flows (installed as `factwatch.flows`): thin @flow/@task wrappers, artifacts, events, run names."""
