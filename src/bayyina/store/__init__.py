"""bayyina.store"""
