"""Discounts for members."""

MEMBER_DISCOUNT = 0.10
