"""bayyina.vault"""
