"""bayyina.share"""
